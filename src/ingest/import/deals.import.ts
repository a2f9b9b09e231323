/**
 * `import deals`: rows → DealRow upserted by id. The contact comes from `contact_id` or
 * `contact_email`; one not imported yet is no error (syncs come in any order): the deal keeps the
 * id (or the e-mail, in properties) and is linked when the contact arrives. Won/lost from `won` or
 * the stage name; an empty amount is stored as none. Every stage the file dates and every change of
 * a deal's current stage recorded once in deal_stage_history.
 */
import type { DealRow, DealStageChangeRow } from '../../domain/crm.js';
import { fingerprint } from './contacts.import.js';
import type { RowMapper } from './mapping.js';
import type { CellIssue } from './records.js';
import { type RowSchemas, validate } from './schemas.js';
import {
  contactIdsByEmails,
  contactIdsByExternalIds,
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
  line: number;
  deal: DealRow;
  contactId: string | null;
  contactEmail: string | null;
  /** Dated stages from the file (explicit stage-entry columns). */
  entries: Array<{ stage: string; at: Date }>;
  /** Whether the named contact is in the workspace (set by `check`); null: the deal names none. */
  linked: boolean | null;
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
 * The deals kind: validates rows, resolves (per batch) the contacts they name, upserts deals and
 * records stage history.
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
    parse(row: MappedRow, line: number): Parsed<DealItem> {
      const v = validate(schemas.deals, row.fields, mapper.columnOf);
      if (!v.ok) return v;
      const d = v.value;
      const issues: CellIssue[] = [];
      const written = d.amount?.currency ?? null;
      // Without an amount there is nothing to convert: the currency column does not matter.
      const currency = d.amount ? (d.currency ?? written ?? ctx.currency) : ctx.currency;
      if (d.currency && written && d.currency !== written) {
        issues.push({
          column: mapper.columnOf('amount'),
          reason: `is in ${written}, currency says ${d.currency}`,
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
      if (d.company_id) properties.company_id = d.company_id;
      const entries: Array<{ stage: string; at: Date }> = [];
      for (const e of row.entries ?? []) {
        const at = parseInstantText(e.at, ctx);
        if (at) entries.push({ stage: e.stage, at });
        else issues.push({ column: e.column, reason: `must be a date or time, got "${e.at}"` });
      }
      if (issues.length) return { ok: false, issues };
      if (row.unmappedStage !== undefined) {
        const column = mapper.columnOf('stage');
        ctx.warn({
          code: 'unmapped_stage',
          line,
          column,
          value: row.unmappedStage,
          message: `stage "${row.unmappedStage}" is not in the preset's map: stored as written, won or lost from ${mapper.columnOf('won')} (else open)`,
        });
      }
      if (won === true && !d.amount) {
        ctx.warn({
          code: 'won_without_amount',
          line,
          column: mapper.columnOf('amount'),
          message:
            'a won deal without an amount: imported; it counts in won deals and win rate, adds nothing to revenue',
        });
      }
      const deal: DealRow = {
        id: d.id,
        contactId: d.contact_id ?? null,
        name: d.name ?? null,
        amount: d.amount?.value ?? null,
        currency,
        stage: d.stage,
        pipeline: d.pipeline ?? null,
        owner: d.owner ?? null,
        createdAt: d.created_at,
        closedAt: won === null ? null : (d.closed_at ?? null),
        won,
        properties,
      };
      const contactEmail = d.contact_email ?? null;
      const item = { line, deal, contactId: d.contact_id ?? null, contactEmail, entries, linked: null };
      return { ok: true, item };
    },

    /**
     * Resolves the contact: by id, else by e-mail (which sets the deal's contact id, the file's id
     * kept in `properties.contact_external_id`). A contact not imported yet leaves the id on the deal
     * (and the e-mail in `properties.contact_email`) to link later.
     */
    async check(items) {
      const ids = items.flatMap((i) => (i.contactId ? [i.contactId] : []));
      const emails = items.flatMap((i) => (i.contactEmail ? [i.contactEmail] : []));
      const known = ids.length ? await existingContactIds(ctx.ws, ids) : new Set<string>();
      const byEmail = emails.length ? await contactIdsByEmails(ctx.ws, emails) : new Map<string, string>();
      const unknownIds = ids.filter((id) => !known.has(id));
      const learned = unknownIds.length
        ? await contactIdsByExternalIds(ctx.ws, unknownIds)
        : new Map<string, string>();
      for (const item of items) {
        if (!item.contactId && !item.contactEmail) continue;
        if (item.contactId && known.has(item.contactId)) {
          item.linked = true;
          continue;
        }
        // The e-mail links (now or when the contact arrives) a deal whose contact id is unknown: a
        // Salesforce Contact ID (003…) is not the Lead ID (00Q…) its lead was imported under.
        const props = item.deal.properties;
        // Else a link made by e-mail before (a sync whose row lacks the e-mail keeps it).
        const viaEmail =
          (item.contactEmail ? byEmail.get(item.contactEmail) : undefined) ??
          (item.contactId ? learned.get(item.contactId) : undefined);
        if (viaEmail && item.contactId) props.contact_external_id = item.contactId;
        if (viaEmail) item.deal.contactId = viaEmail;
        else if (item.contactEmail) props.contact_email = item.contactEmail;
        item.linked = viaEmail !== undefined;
      }
      return new Map<number, CellIssue[]>();
    },

    async write(items) {
      const latest = new Map<string, DealItem>();
      for (const item of items) latest.set(item.deal.id, item);
      const stored = await dealsByIds(ctx.ws, latest.keys());
      const recorded = await dealHistory(ctx.ws, latest.keys());
      const upserts: DealRow[] = [];
      const changes: DealStageChangeRow[] = [];
      for (const [id, item] of latest) {
        if (item.linked === false) {
          counts.unlinked++;
          const by = item.contactId && item.contactEmail ? 'id or e-mail' : item.contactId ? 'id' : 'e-mail';
          ctx.warn({
            code: 'contact_not_imported',
            line: item.line,
            column: mapper.columnOf(item.contactId ? 'contact_id' : 'contact_email'),
            message: `the deal's contact is not imported yet: the deal is stored and counts in revenue; it is linked when a contact with that ${by} is imported`,
          });
        }
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
