/**
 * `import spend` and `import social`: rows without ids, keyed by what they measure. Spend is one row
 * per (date, channel, campaign, source, medium): rows of the file with the same key are summed (an
 * ad-set level export becomes campaign level). Social is one value per (date, network, metric): the
 * file's last row for a key wins. Against the store, a key already stored with the same values is
 * skipped; one stored with other values is replaced (see docs/imports.md).
 */
import type { SocialRow, SpendRow } from '../../domain/crm.js';
import { classifyChannel } from '../channels.js';
import type { RowMapper } from './mapping.js';
import type { CellIssue } from './records.js';
import { type RowSchemas, validate } from './schemas.js';
import { socialBetween, spendBetween } from './store.lookups.js';
import {
  type Counts,
  type ImportContext,
  type KindHandler,
  type MappedRow,
  type Parsed,
  zeroCounts,
} from './types.js';

const APPEND_CHUNK = 50_000;

/** The natural key of a spend row: date, channel, campaign, source, medium. */
export const spendKey = (r: SpendRow) =>
  [r.date, r.channel, r.campaign ?? '', r.source ?? '', r.medium ?? ''].join('\u0000');
/** The natural key of a social row: date, network, metric. */
export const socialKey = (r: SocialRow) => [r.date, r.network, r.metric].join('\u0000');

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
const addNullable = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : a + b);

function sameSpend(a: SpendRow, b: SpendRow): boolean {
  return (
    Math.abs(a.cost - b.cost) < 1e-6 &&
    a.currency === b.currency &&
    a.impressions === b.impressions &&
    a.clicks === b.clicks &&
    a.reach === b.reach
  );
}

/** New rows appended, identical ones skipped, rows stored with other values replaced. */
async function settle<T>(
  rows: Iterable<T>,
  stored: readonly T[],
  key: (r: T) => string,
  same: (a: T, b: T) => boolean,
  append: (rows: readonly T[]) => Promise<void>,
  counts: Counts,
  replace: (rows: readonly T[]) => Promise<void>,
): Promise<void> {
  const changed: T[] = [];
  const have = new Map<string, T>();
  for (const r of stored) if (!have.has(key(r))) have.set(key(r), r);
  let fresh: T[] = [];
  for (const r of rows) {
    const s = have.get(key(r));
    if (!s) fresh.push(r);
    else if (same(s, r)) counts.skipped++;
    else changed.push(r);
    if (fresh.length >= APPEND_CHUNK) {
      await append(fresh);
      counts.imported += fresh.length;
      fresh = [];
    }
  }
  await append(fresh);
  counts.imported += fresh.length;
  for (let i = 0; i < changed.length; i += APPEND_CHUNK) await replace(changed.slice(i, i + APPEND_CHUNK));
  counts.updated += changed.length;
}

function dateRange(dates: Iterable<string>): { from: string; to: string } | null {
  let from: string | null = null;
  let to: string | null = null;
  for (const d of dates) {
    if (from === null || d < from) from = d;
    if (to === null || d > to) to = d;
  }
  return from && to ? { from, to } : null;
}

/**
 * The spend kind: rows summed per natural key over the whole file, written at the end.
 *
 * @example
 * const h = spendHandler(ctx, rowSchemas(ctx), genericMapper('spend', header));
 * await h.write(items); await h.finish(); h.counts.imported;
 */
export function spendHandler(
  ctx: ImportContext,
  schemas: RowSchemas,
  mapper: RowMapper,
): KindHandler<SpendRow> {
  const counts: Counts = zeroCounts();
  const rows = new Map<string, SpendRow>();
  return {
    counts,
    parse(row: MappedRow): Parsed<SpendRow> {
      const v = validate(schemas.spend, row.fields, mapper.columnOf);
      if (!v.ok) return v;
      const s = v.value;
      const issues: CellIssue[] = [];
      const currency = s.currency ?? s.cost.currency ?? ctx.currency;
      if (currency !== ctx.currency) {
        const column = mapper.columnOf(s.currency ? 'currency' : 'cost');
        issues.push({
          column,
          reason: `is in ${currency}, the workspace's currency is ${ctx.currency} (convert first)`,
        });
      }
      const source = s.source ?? null;
      const medium = s.medium ?? null;
      const campaign = s.campaign ?? null;
      if (!s.channel && !source && !medium) {
        issues.push({
          column: mapper.columnOf('channel'),
          reason: 'is required when source and medium are blank',
        });
      }
      if (issues.length) return { ok: false, issues };
      const channel = s.channel ?? classifyChannel({ source, medium, campaign }, ctx.rules);
      return {
        ok: true,
        item: {
          date: s.date,
          channel,
          source,
          medium,
          campaign,
          cost: s.cost.value,
          currency,
          impressions: s.impressions ?? null,
          clicks: s.clicks ?? null,
          reach: s.reach ?? null,
        },
      };
    },
    async write(items) {
      for (const r of items) {
        const k = spendKey(r);
        const prev = rows.get(k);
        rows.set(
          k,
          prev
            ? {
                ...prev,
                cost: round6(prev.cost + r.cost),
                impressions: addNullable(prev.impressions, r.impressions),
                clicks: addNullable(prev.clicks, r.clicks),
                reach: addNullable(prev.reach, r.reach),
              }
            : r,
        );
      }
    },
    async finish() {
      const range = dateRange([...rows.values()].map((r) => r.date));
      if (!range) return;
      const stored = await spendBetween(ctx.ws, range.from, range.to);
      await settle(
        rows.values(),
        stored,
        spendKey,
        sameSpend,
        (r) => ctx.ws.appendSpend(r),
        counts,
        (r) => ctx.ws.replaceSpend(r),
      );
      rows.clear();
    },
  };
}

/**
 * The social kind: the file's last row per natural key, written at the end.
 *
 * @example
 * const h = socialHandler(ctx, rowSchemas(ctx), genericMapper('social', header));
 * await h.write(items); await h.finish();
 */
export function socialHandler(
  ctx: ImportContext,
  schemas: RowSchemas,
  mapper: RowMapper,
): KindHandler<SocialRow> {
  const counts: Counts = zeroCounts();
  const rows = new Map<string, SocialRow>();
  return {
    counts,
    parse(row: MappedRow): Parsed<SocialRow> {
      const v = validate(schemas.social, row.fields, mapper.columnOf);
      if (!v.ok) return v;
      return { ok: true, item: { ...v.value } };
    },
    async write(items) {
      for (const r of items) {
        const k = socialKey(r);
        if (rows.has(k)) counts.skipped++; // an earlier row of the file, replaced by this one
        rows.set(k, r);
      }
    },
    async finish() {
      const range = dateRange([...rows.values()].map((r) => r.date));
      if (!range) return;
      const stored = await socialBetween(ctx.ws, range.from, range.to);
      const same = (a: SocialRow, b: SocialRow) => Math.abs(a.value - b.value) < 1e-9;
      await settle(
        rows.values(),
        stored,
        socialKey,
        same,
        (r) => ctx.ws.appendSocial(r),
        counts,
        (r) => ctx.ws.replaceSocial(r),
      );
      rows.clear();
    },
  };
}
