/**
 * `import contacts`: rows → ContactRow upserted by id, merged with what is stored (blank cells keep
 * stored values; each stage date is the earliest known), and every stage date the file gave
 * recorded in contact_stage_history once. A stage no map knows is kept in properties (a warning);
 * deals imported before their contact are linked once it arrives.
 */
import { type ContactRow, LIFECYCLE_STAGES, type StageChangeRow } from '../../domain/crm.js';
import { lifecycle, STAGE_FIELD, type StageDates } from './lifecycle.js';
import type { RowMapper } from './mapping.js';
import { type RowSchemas, validate } from './schemas.js';
import {
  contactHistoryKeys,
  contactIdsByEmails,
  contactsByIds,
  countDealsOfContacts,
  dealsAwaitingEmails,
  historyKey,
} from './store.lookups.js';
import {
  type Counts,
  type ImportContext,
  type KindHandler,
  type MappedRow,
  type Parsed,
  zeroCounts,
} from './types.js';
import { parseStage } from './values.js';

/** A valid contact row; `id` is null when the file gave only an e-mail (resolved when written). */
export interface ContactItem {
  id: string | null;
  contact: ContactRow;
  /** The stage dates this row sets (given or filled), to record as history. */
  dates: StageDates;
}

const TEXT_FIELDS = [
  'email',
  'firstName',
  'lastName',
  'company',
  'industry',
  'jobTitle',
  'companySize',
  'country',
  'market',
  'originalSource',
  'owner',
] as const;

/**
 * The stored contact after importing `incoming` over `existing`: the file's values where it has
 * them, stored ones where its cells are blank, the earliest date of each stage, merged properties.
 *
 * @example
 * mergeContact(stored, fromFile).leadAt; // the earlier of the two lead dates
 */
export function mergeContact(existing: ContactRow | null, incoming: ContactRow): ContactRow {
  if (!existing) return incoming;
  const out: ContactRow = { ...incoming, properties: { ...existing.properties, ...incoming.properties } };
  for (const f of TEXT_FIELDS) out[f] = incoming[f] ?? existing[f];
  // A file whose stage could not be mapped (and dates none) does not unset a stored stage.
  out.lifecycleStage = incoming.lifecycleStage ?? existing.lifecycleStage;
  for (const s of LIFECYCLE_STAGES) {
    const f = STAGE_FIELD[s];
    const a = existing[f];
    const b = incoming[f];
    out[f] = a && b && a.getTime() < b.getTime() ? a : (b ?? a);
  }
  return out;
}

/**
 * A stable text form of a contact or deal (property keys sorted), to tell "unchanged" from "updated".
 *
 * @example
 * fingerprint({ b: 1, a: { d: 2, c: 3 } }) === fingerprint({ a: { c: 3, d: 2 }, b: 1 }); // true
 */
export function fingerprint(row: object): string {
  return JSON.stringify(row, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/**
 * The contacts kind: validates rows (lifecycle dates included) and upserts them merged with the
 * stored contacts, recording new stage dates as history.
 *
 * @example
 * const h = contactsHandler(ctx, rowSchemas(ctx), genericMapper('contacts', header));
 * const r = h.parse(mapped, 2); if (r.ok) await h.write([r.item]);
 */
export function contactsHandler(
  ctx: ImportContext,
  schemas: RowSchemas,
  mapper: RowMapper,
): KindHandler<ContactItem> {
  const counts: Counts = zeroCounts();
  return {
    counts,
    parse(row: MappedRow, line: number): Parsed<ContactItem> {
      const v = validate(schemas.contacts, row.fields, mapper.columnOf);
      if (!v.ok) return v;
      const c = v.value;
      if (!c.id && !c.email) {
        return {
          ok: false,
          issues: [{ column: mapper.columnOf('id'), reason: 'a contact needs an id or an e-mail' }],
        };
      }
      const given: StageDates = {};
      for (const s of LIFECYCLE_STAGES) {
        const d = c[`${s}_at`];
        if (d) given[s] = d;
      }
      const written = c.lifecycle_stage;
      const stage = written === undefined ? undefined : (parseStage(written) ?? undefined);
      const unmapped = row.unmappedStage ?? (written !== undefined && !stage ? written : undefined);
      const life = lifecycle({
        stage,
        createdAt: c.created_at,
        dates: given,
        unmapped: unmapped !== undefined,
      });
      if (!life) {
        const reason = 'is required (or at least one stage date such as mql_at)';
        return { ok: false, issues: [{ column: mapper.columnOf('created_at'), reason }] };
      }
      const properties = { ...row.properties };
      if (life.filled.length) properties.import_filled_stages = life.filled;
      if (unmapped !== undefined) {
        const column = mapper.columnOf('lifecycle_stage');
        properties[column] = unmapped;
        ctx.warn({
          code: 'unmapped_stage',
          line,
          column,
          value: unmapped,
          message: `stage "${unmapped}" has no Northstar equivalent: imported with the latest stage its dates show, else none; the value is kept in properties["${column}"]`,
        });
      }
      const contact: ContactRow = {
        id: c.id ?? '',
        email: c.email ?? null,
        firstName: c.first_name ?? null,
        lastName: c.last_name ?? null,
        company: c.company ?? null,
        industry: c.industry ?? null,
        jobTitle: c.job_title ?? null,
        companySize: c.company_size ?? null,
        country: c.country ?? null,
        market: c.market ?? null,
        lifecycleStage: life.stage,
        originalSource: c.original_source ?? null,
        owner: c.owner ?? null,
        createdAt: life.createdAt,
        subscriberAt: life.dates.subscriber ?? null,
        leadAt: life.dates.lead ?? null,
        mqlAt: life.dates.mql ?? null,
        salAt: life.dates.sal ?? null,
        sqlAt: life.dates.sql ?? null,
        opportunityAt: life.dates.opportunity ?? null,
        customerAt: life.dates.customer ?? null,
        properties,
      };
      return { ok: true, item: { id: c.id ?? null, contact, dates: life.dates } };
    },

    async write(items) {
      // Rows with only an e-mail join the stored contact with that e-mail, else the e-mail is the id.
      const emailsOnly = items.filter((i) => i.id === null).map((i) => i.contact.email as string);
      const byEmail = emailsOnly.length ? await contactIdsByEmails(ctx.ws, emailsOnly) : new Map();
      const latest = new Map<string, ContactItem>();
      for (const item of items) {
        const email = item.contact.email ?? '';
        const id = item.id ?? byEmail.get(email) ?? email;
        latest.set(id, { ...item, id, contact: { ...item.contact, id } });
      }
      const stored = await contactsByIds(ctx.ws, latest.keys());
      const history = await contactHistoryKeys(ctx.ws, latest.keys());
      const upserts: ContactRow[] = [];
      const changes: StageChangeRow[] = [];
      for (const [id, item] of latest) {
        const before = stored.get(id) ?? null;
        const merged = mergeContact(before, item.contact);
        if (!before) counts.imported++;
        else if (fingerprint(before) === fingerprint(merged)) counts.skipped++;
        else counts.updated++;
        if (!before || fingerprint(before) !== fingerprint(merged)) upserts.push(merged);
        for (const s of LIFECYCLE_STAGES) {
          const at = item.dates[s];
          // Recorded when the file's date is the one the contact keeps (an earlier stored date wins).
          if (!at || merged[STAGE_FIELD[s]]?.getTime() !== at.getTime()) continue;
          const key = historyKey(id, s, at);
          if (history.has(key)) continue;
          history.add(key);
          changes.push({ contactId: id, stage: s, at, reason: ctx.reason });
        }
      }
      await ctx.ws.upsertContacts(upserts);
      await ctx.ws.appendStageChanges(changes);
      counts.history += changes.length;
      counts.linked += await linkWaitingDeals(
        ctx,
        [...latest.keys()].filter((id) => !stored.has(id)),
        [...latest.values()],
      );
    },

    async finish() {},
  };
}

/**
 * Links the deals that were waiting for these contacts (imported before them): deals naming a new
 * contact's id are linked by the id itself (counted here); deals whose contact is known only by an
 * e-mail get the contact's id (an unknown id they named kept in `properties.contact_external_id`,
 * as when the contact is imported first). Returns how many deals were linked.
 */
async function linkWaitingDeals(
  ctx: ImportContext,
  newIds: readonly string[],
  items: readonly ContactItem[],
): Promise<number> {
  const byId = newIds.length ? await countDealsOfContacts(ctx.ws, newIds) : 0;
  const emails = items.flatMap((i) => (i.contact.email ? [i.contact.email] : []));
  if (emails.length === 0) return byId;
  const waiting = await dealsAwaitingEmails(ctx.ws, emails);
  if (waiting.length === 0) return byId;
  const ids = await contactIdsByEmails(
    ctx.ws,
    waiting.map((w) => w.email),
  );
  const linked = waiting.flatMap(({ deal, email }) => {
    const contactId = ids.get(email);
    if (!contactId) return [];
    // As if the contact had been imported first: the e-mail served its purpose.
    const { contact_email: _, ...properties } = deal.properties;
    if (deal.contactId) properties.contact_external_id = deal.contactId;
    return [{ ...deal, contactId, properties }];
  });
  await ctx.ws.upsertDeals(linked);
  return byId + linked.length;
}
