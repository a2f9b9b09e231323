/**
 * `import email`: e-mail events (sent, open, click, …). An event is stored once per (time, address,
 * campaign, type): a row already stored, or repeated in the file, is skipped. Without `contact_id`
 * the contact is found by e-mail address when there is one.
 */
import type { EmailEventRow } from '../../domain/crm.js';
import type { RowMapper } from './mapping.js';
import { type RowSchemas, validate } from './schemas.js';
import { contactIdsByEmails, emailEventKeys, emailKey } from './store.lookups.js';
import {
  type Counts,
  type ImportContext,
  type KindHandler,
  type MappedRow,
  type Parsed,
  zeroCounts,
} from './types.js';

/**
 * The e-mail kind: events appended once per natural key, the contact found by address.
 *
 * @example
 * const h = emailHandler(ctx, rowSchemas(ctx), genericMapper('email', null));
 * await h.write(items); h.counts.skipped; // duplicates
 */
export function emailHandler(
  ctx: ImportContext,
  schemas: RowSchemas,
  mapper: RowMapper,
): KindHandler<EmailEventRow> {
  const counts: Counts = zeroCounts();
  return {
    counts,
    parse(row: MappedRow): Parsed<EmailEventRow> {
      const v = validate(schemas.email, row.fields, mapper.columnOf);
      if (!v.ok) return v;
      const e = v.value;
      return {
        ok: true,
        item: {
          timestamp: e.timestamp,
          email: e.email,
          contactId: e.contact_id ?? null,
          campaign: e.campaign ?? null,
          type: e.type,
        },
      };
    },
    async write(items) {
      if (items.length === 0) return;
      let from = Number.POSITIVE_INFINITY;
      let to = Number.NEGATIVE_INFINITY;
      for (const r of items) {
        from = Math.min(from, r.timestamp.getTime());
        to = Math.max(to, r.timestamp.getTime());
      }
      const emails = new Set(items.map((r) => r.email));
      const stored = await emailEventKeys(ctx.ws, emails, new Date(from), new Date(to));
      const missing = [...new Set(items.filter((r) => !r.contactId).map((r) => r.email))];
      const ids = missing.length ? await contactIdsByEmails(ctx.ws, missing) : new Map<string, string>();
      const fresh: EmailEventRow[] = [];
      for (const r of items) {
        const key = emailKey(r.timestamp, r.email, r.campaign, r.type);
        if (stored.has(key)) {
          counts.skipped++;
          continue;
        }
        stored.add(key);
        fresh.push(r.contactId ? r : { ...r, contactId: ids.get(r.email) ?? null });
      }
      await ctx.ws.appendEmailEvents(fresh);
      counts.imported += fresh.length;
    },
    async finish() {},
  };
}
