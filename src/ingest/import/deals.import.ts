/**
 * `import deals`: rows → DealRow upserted by id. The contact comes from `contact_id` or
 * `contact_email` and must exist; won/lost from `won` or the stage name; every stage the file dates
 * and every change of a deal's current stage recorded once in deal_stage_history.
 */
import type { DealRow, DealStageChangeRow } from '../../domain/crm.js';
import { fingerprint } from './contacts.import.js';
import type { RowMapper } from './mapping.js';
import type { CellIssue } from './records.js';
import { type RowSchemas, validate } from './schemas.js';
import {
  contactIdsByEmails,
  dealHistory,
  dealsByIds,
  existingContactIds,
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
import { parseInstantText, wonFromStage } from './values.js';

export interface DealItem {
  deal: DealRow;
  contactId: string | null;
  contactEmail: string | null;
  /** Dated stages from the file (explicit stage-entry columns). */
  entries: Array<{ stage: string; at: Date }>;
}

/**
 * The stage-history rows to add for a deal: the dated stages of the file, and its current stage when
 * that is not the last one recorded (dated by its close, else its creation for a new deal, else
 * `now`: the time the change was seen). Rows already recorded are left out.
 *
 * @example
 * dealHistoryRows(deal, [], []); // [{ dealId, stage: deal.stage, at: deal.closedAt ?? deal.createdAt }]
 */
export function dealHistoryRows(
  deal: DealRow,
  entries: ReadonlyArray<{ stage: string; at: Date }>,
  recorded: ReadonlyArray<{ stage: string; at: Date }>,
  now: Date = new Date(),
): DealStageChangeRow[] {
  const seen = new Set(recorded.map((r) => historyKey(deal.id, r.stage, r.at)));
  const out: DealStageChangeRow[] = [];
  const add = (stage: string, at: Date) => {
    const key = historyKey(deal.id, stage, at);
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ dealId: deal.id, stage, at });
  };
  for (const e of entries) add(e.stage, e.at);
  const all = [...recorded, ...entries].sort((a, b) => a.at.getTime() - b.at.getTime());
  const last = all[all.length - 1];
  if (!last || last.stage !== deal.stage) {
    let at = deal.closedAt;
    if (!at && recorded.length === 0) at = last && last.at > deal.createdAt ? last.at : deal.createdAt;
    add(deal.stage, at ?? now);
  }
  return out;
}

/**
 * The deals kind: validates rows, checks (per batch) that referenced contacts exist, upserts deals
 * and records stage history.
 *
 * @example
 * const h = dealsHandler(ctx, rowSchemas(ctx), genericMapper('deals', header));
 * const problems = await h.check?.(items); // Map of item index → issues
 */
export function dealsHandler(
  ctx: ImportContext,
  schemas: RowSchemas,
  mapper: RowMapper,
): KindHandler<DealItem> {
  const counts: Counts = zeroCounts();
  return {
    counts,
    parse(row: MappedRow): Parsed<DealItem> {
      const v = validate(schemas.deals, row.fields, mapper.columnOf);
      if (!v.ok) return v;
      const d = v.value;
      const issues: CellIssue[] = [];
      const currency = d.currency ?? d.amount.currency ?? ctx.currency;
      if (d.currency && d.amount.currency && d.currency !== d.amount.currency) {
        issues.push({
          column: mapper.columnOf('amount'),
          reason: `is in ${d.amount.currency}, currency says ${d.currency}`,
        });
      } else if (currency !== ctx.currency) {
        const column = mapper.columnOf(d.currency ? 'currency' : 'amount');
        issues.push({
          column,
          reason: `is in ${currency}, the workspace's currency is ${ctx.currency} (convert first)`,
        });
      }
      const won = d.won ?? wonFromStage(d.stage);
      const properties = { ...row.properties };
      if (won !== null && !d.closed_at) {
        const reason = `is required for a closed deal (${won ? 'won' : 'lost'})`;
        issues.push({ column: mapper.columnOf('closed_at'), reason });
      }
      if (won === null && d.closed_at) properties.expected_close_date = d.closed_at.toISOString();
      const entries: Array<{ stage: string; at: Date }> = [];
      for (const e of row.entries ?? []) {
        const at = parseInstantText(e.at, ctx);
        if (at) entries.push({ stage: e.stage, at });
        else issues.push({ column: e.column, reason: `must be a date or time, got "${e.at}"` });
      }
      if (issues.length) return { ok: false, issues };
      const deal: DealRow = {
        id: d.id,
        contactId: d.contact_id ?? null,
        name: d.name ?? null,
        amount: d.amount.value,
        currency,
        stage: d.stage,
        pipeline: d.pipeline ?? null,
        owner: d.owner ?? null,
        createdAt: d.created_at,
        closedAt: won === null ? null : (d.closed_at ?? null),
        won,
        properties,
      };
      return {
        ok: true,
        item: { deal, contactId: d.contact_id ?? null, contactEmail: d.contact_email ?? null, entries },
      };
    },

    /** The contact must exist: by id, else by e-mail (which sets the deal's contact id). */
    async check(items) {
      const ids = items.flatMap((i) => (i.contactId ? [i.contactId] : []));
      const emails = items.flatMap((i) => (!i.contactId && i.contactEmail ? [i.contactEmail] : []));
      const known = ids.length ? await existingContactIds(ctx.ws, ids) : new Set<string>();
      const byEmail = emails.length ? await contactIdsByEmails(ctx.ws, emails) : new Map<string, string>();
      const problems = new Map<number, CellIssue[]>();
      items.forEach((item, i) => {
        if (item.contactId) {
          if (!known.has(item.contactId)) {
            const reason = `no contact with id "${item.contactId}" (import the contacts first)`;
            problems.set(i, [{ column: mapper.columnOf('contact_id'), reason }]);
          }
        } else if (item.contactEmail) {
          const id = byEmail.get(item.contactEmail);
          if (id) item.deal.contactId = id;
          else {
            const reason = `no contact with e-mail ${item.contactEmail} (import the contacts first)`;
            problems.set(i, [{ column: mapper.columnOf('contact_email'), reason }]);
          }
        }
      });
      return problems;
    },

    async write(items) {
      const latest = new Map<string, DealItem>();
      for (const item of items) latest.set(item.deal.id, item);
      const stored = await dealsByIds(ctx.ws, latest.keys());
      const recorded = await dealHistory(ctx.ws, latest.keys());
      const upserts: DealRow[] = [];
      const changes: DealStageChangeRow[] = [];
      for (const [id, item] of latest) {
        const before = stored.get(id);
        const deal = before
          ? { ...item.deal, properties: { ...before.properties, ...item.deal.properties } }
          : item.deal;
        if (!before) counts.imported++;
        else if (fingerprint(before) === fingerprint(deal)) counts.skipped++;
        else counts.updated++;
        if (!before || fingerprint(before) !== fingerprint(deal)) upserts.push(deal);
        changes.push(...dealHistoryRows(deal, item.entries, recorded.get(id) ?? [], ctx.now));
      }
      await ctx.ws.upsertDeals(upserts);
      await ctx.ws.appendDealStageChanges(changes);
      counts.history += changes.length;
    },

    async finish() {},
  };
}
