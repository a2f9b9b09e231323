import { tzOffsetMs } from '../core/time.js';
import type { SqlDialect } from '../store/dialect.js';
import type { SqlParam, WorkspaceStore } from '../store/store.js';
import { type Breakdown, type Measure, sqlFor, withCtes } from './measures.js';
import type { Grain } from './periods.js';

const NONE = '(none)';
const HOUR = 3_600_000;
/** The longest range whose zone offsets are written out as a CASE (about 4 years, ~8 changes). */
const MAX_CASE_RANGE_MS = 1_500 * 24 * HOUR;

/** What a measure query needs to know about the request. */
export interface MeasureRequest {
  from: string;
  to: string;
  grain: Grain;
  by?: Breakdown;
  filter?: Partial<Record<Breakdown, string>>;
  /** UTC bounds of the inclusive local range. */
  start: Date;
  end: Date;
  tz: string;
}

/** Values of one measure per period and breakdown key. */
export type MeasureValues = Map<string, Map<string, number>>;

/**
 * Local wall-clock time of a UTC column as plain arithmetic: the zone's offset is constant between DST
 * changes, so `col + offset` with a CASE over the (few) changes in the range replaces a per-row zone
 * conversion, which costs ~8x more on millions of rows. Exact for every instant in [start, end).
 *
 * @example
 * localTimeSql(duckdbDialect, 'x.ts', 'UTC', start, end); // "(x.ts + to_seconds(0))"
 */
export function localTimeSql(d: SqlDialect, col: string, tz: string, start: Date, end: Date): string {
  const from = start.getTime() - 2 * 24 * HOUR;
  const to = end.getTime() + 2 * 24 * HOUR;
  // Past a few years the scan (a step a day) and the CASE (two changes a year) would grow with the
  // range: the engine's own zone conversion costs more per row but nothing per day of range.
  if (to - from > MAX_CASE_RANGE_MS) return d.localTime(col, tz);
  const changes: Array<{ at: number; offset: number }> = [];
  let prev = tzOffsetMs(new Date(from), tz);
  const first = prev;
  for (let t = from + 24 * HOUR; t <= to + 24 * HOUR; t += 24 * HOUR) {
    const off = tzOffsetMs(new Date(t), tz);
    if (off === prev) continue;
    // The change is within the last day: narrow it to the minute.
    let lo = t - 24 * HOUR;
    let hi = t;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 2 / 60_000) * 60_000;
      if (tzOffsetMs(new Date(mid), tz) === prev) lo = mid;
      else hi = mid;
    }
    changes.push({ at: hi, offset: off });
    prev = off;
  }
  const plus = (ms: number) => d.addInterval(col, String(Math.round(ms / 1000)), 'second');
  if (changes.length === 0) return plus(first);
  // Each branch adds a constant: the engine folds it, so a row costs the comparisons and one addition.
  let local = `CASE WHEN ${col} < ${d.timestampLiteral(changes[0]?.at ?? 0)} THEN ${plus(first)}`;
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i] as { at: number; offset: number };
    const next = changes[i + 1];
    local += next
      ? ` WHEN ${col} < ${d.timestampLiteral(next.at)} THEN ${plus(c.offset)}`
      : ` ELSE ${plus(c.offset)}`;
  }
  return `(${local} END)`;
}

/** The SELECT of one measure for a request: rows of (measure, period, key, value). */
export function measureSelect(
  m: Measure,
  r: MeasureRequest,
  keyEvents: Record<string, readonly string[]>,
  d: SqlDialect,
): { sql: string; params: Record<string, SqlParam> } {
  const params: Record<string, SqlParam> = {};
  // A total needs no local time at all: its one bucket is the range's first day.
  const local = () => (m.timeKind === 'instant' ? localTimeSql(d, m.time, r.tz, r.start, r.end) : m.time);
  const fromDate = d.cast('$from_date', 'date');
  const bucket = r.grain === 'total' ? fromDate : d.truncDate(r.grain, local());
  const dim = (b: Breakdown) => {
    const e = m.dims[b];
    return `coalesce(${e === undefined ? d.nullOf('varchar') : d.cast(sqlFor(e, d), 'varchar')}, '${NONE}')`;
  };
  const range =
    m.timeKind === 'instant'
      ? `${m.time} >= $range_start AND ${m.time} < $range_end`
      : `${m.time} BETWEEN ${fromDate} AND ${d.cast('$to_date', 'date')}`;
  const where = [range];
  if (m.where) where.push(m.where);
  for (const [b, v] of Object.entries(r.filter ?? {})) {
    if (v === undefined) continue;
    params[`f_${b}`] = v;
    where.push(`${dim(b as Breakdown)} = $f_${b}`);
  }
  // Sums in DECIMAL so money adds up exactly (no 0.1 + 0.2 noise); formulas then divide exact totals.
  const agg = m.median
    ? d.median(sqlFor(m.median, d))
    : m.distinct
      ? d.countDistinct(sqlFor(m.distinct, d))
      : `sum(${d.cast(sqlFor(m.value, d), 'decimal')})`;
  // Grouped by position (measure, period, key): the measure column is a constant.
  let sql = `SELECT '${m.id}' AS measure, ${d.formatDate(bucket)} AS period, ${r.by ? dim(r.by) : `''`} AS key,
      ${d.cast(agg, 'double')} AS value
    FROM ${sqlFor(m.from, d)} WHERE ${where.join(' AND ')} GROUP BY 1, 2, 3`;
  if (m.keyEvents) {
    const list = keyEvents[m.keyEvents] ?? [];
    const names = list.map((_, i) => `$k_${m.id}_${i}`);
    list.forEach((v, i) => {
      params[`k_${m.id}_${i}`] = v;
    });
    sql = sql.replace('$keys', `(${names.length ? names.join(', ') : 'NULL'})`);
  }
  return { sql, params };
}

/**
 * Stage 3, fetch: every measure once, with measures that share building blocks (identity stitching,
 * first touch) in one statement whose blocks are materialized once. Independent statements run in
 * parallel on their own connections.
 */
export async function fetchMeasures(
  ws: WorkspaceStore,
  measures: readonly Measure[],
  r: MeasureRequest,
): Promise<Map<string, MeasureValues>> {
  const groups = new Map<string, Measure[]>();
  for (const m of measures) {
    const key = [...m.needs].sort().join(',');
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  const base: Record<string, SqlParam> = {
    from_date: r.from,
    to_date: r.to,
    range_start: r.start,
    range_end: r.end,
  };
  const out = new Map<string, MeasureValues>();
  for (const m of measures) out.set(m.id, new Map());
  await Promise.all(
    [...groups.values()].map(async (group) => {
      const parts = group.map((m) => measureSelect(m, r, ws.workspace.settings.keyEvents, ws.dialect));
      // One SELECT over the union: ClickHouse takes no parenthesised query straight after WITH.
      const union = parts.map((p) => `(${p.sql})`).join('\nUNION ALL\n');
      const sql = `${withCtes(
        group.flatMap((m) => m.needs),
        ws.dialect,
      )}\nSELECT * FROM (\n${union}\n) measures`;
      const params: Record<string, SqlParam> = { ...base };
      for (const p of parts) Object.assign(params, p.params);
      // The store binds only the parameters this statement names.
      const rows = await ws.query<{ measure: string; period: string; key: string; value: number | null }>(
        sql,
        params,
      );
      for (const row of rows) {
        const mv = out.get(row.measure);
        if (!mv || row.value === null) continue;
        let perKey = mv.get(row.period);
        if (!perKey) {
          perKey = new Map();
          mv.set(row.period, perKey);
        }
        perKey.set(row.key, (perKey.get(row.key) ?? 0) + row.value);
      }
    }),
  );
  return out;
}
