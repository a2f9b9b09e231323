/**
 * The terminal tables of `northstar attribution` over a workspace: what was attributed and with which
 * look-back (and why), money in the workspace currency, ROI and shares as percentages, and the share
 * left to `(none)` next to every model. JSON and CSV stay raw numbers.
 */
import type { attributeAllModels, attributeWorkspace } from '../attribution/workspace.attribution.js';
import { describeLookback, type LookbackChoice } from '../attribution/workspace.lookback.js';

type One = Awaited<ReturnType<typeof attributeWorkspace>>;
type All = Awaited<ReturnType<typeof attributeAllModels>>;

const NOUN: Readonly<Record<string, string>> = {
  deal_won: 'won deals closed',
  opportunity: 'deals created',
  lead: 'leads',
  mql: 'MQLs',
  sql: 'SQLs',
};

function money(v: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(v);
}
function count(v: number): string {
  return v.toLocaleString('en-US', { maximumFractionDigits: 2 });
}
function pct(v: number | null): string {
  if (v === null) return '–';
  const p = v * 100;
  return `${p.toLocaleString('en-US', { maximumFractionDigits: Math.abs(p) < 10 ? 1 : 0 })} %`;
}

/** An aligned text table: the first column left-aligned, the others right-aligned. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((v, i) => (i === 0 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function heading(
  r: {
    from: string;
    to: string;
    conversion: string;
    lookback: number;
    lookback_basis: LookbackChoice['basis'];
    sales_cycle: LookbackChoice['sales_cycle'];
  },
  totalConversions: number,
  totalValue: number,
  currency: string,
): string {
  const what = NOUN[r.conversion] ?? r.conversion;
  const value =
    r.conversion === 'deal_won' || r.conversion === 'opportunity' ? `, ${money(totalValue, currency)}` : '';
  const lookback = describeLookback(
    { days: r.lookback, basis: r.lookback_basis, sales_cycle: r.sales_cycle },
    r.conversion,
  );
  return `${what} ${r.from} – ${r.to}: ${count(totalConversions)}${value}\n${lookback}`;
}

function noneLine(n: One['none'], total: number, totalValue: number, currency: string): string {
  return `(none) = no touch in the look-back: ${count(n.conversions)} of ${count(total)} conversions (${pct(n.conversion_share)}), ${money(n.value, currency)} of ${money(totalValue, currency)} (${pct(n.value_share)})`;
}

/**
 * One model as a table: per channel (or campaign) its credited conversions, value, spend, cost per
 * conversion and ROI, the totals, and what `(none)` holds.
 *
 * @example
 * rt.out(attributionTable(await attributeWorkspace(ws, 'linear', o), 'USD'));
 */
export function attributionTable(r: One, currency: string): string {
  const by = r.by;
  const markov = r.model === 'markov';
  const value = r.conversion === 'deal_won' ? 'revenue' : 'value';
  const header = [
    by,
    'conversions',
    value,
    'spend',
    'cost per conversion',
    'ROI',
    ...(markov ? ['removal effect'] : []),
  ];
  const rows = r.rows.map((x) => [
    String(x[by]),
    count(x.conversions),
    money(x.value, currency),
    x.spend > 0 ? money(x.spend, currency) : '–',
    x.cost_per_conversion === null ? '–' : money(x.cost_per_conversion, currency),
    pct(x.roi),
    ...(markov ? [x.removal_effect === undefined ? '–' : count(x.removal_effect)] : []),
  ]);
  const spend = r.rows.reduce((s, x) => s + x.spend, 0);
  rows.push([
    'total',
    count(r.total_conversions),
    money(r.total_value, currency),
    money(spend, currency),
    '',
    spend > 0 ? pct((r.total_value - spend) / spend) : '–',
    ...(markov ? [''] : []),
  ]);
  return `${r.model} · ${heading(r, r.total_conversions, r.total_value, currency)}\n\n${table(header, rows)}\n\n${noneLine(r.none, r.total_conversions, r.total_value, currency)}\n`;
}

/**
 * Every model side by side: the value credited to each channel per model, its ROI per model, and its
 * conversions per model, each with the `(none)` share under every model.
 *
 * @example
 * rt.out(allModelsTable(await attributeAllModels(ws, o), 'USD'));
 */
export function allModelsTable(r: All, currency: string): string {
  const by = r.by;
  const models = r.models.map((m) => m.model);
  const first = r.models[0];
  const totalConversions = first?.total_conversions ?? 0;
  const totalValue = first?.total_value ?? 0;
  const value = r.conversion === 'deal_won' ? 'Revenue' : 'Value';
  const cell = (row: (typeof r.table)[number], key: string) => Number(row[key] ?? 0);
  const spendOf = (row: (typeof r.table)[number]) => cell(row, 'spend');
  const totalSpend = r.table.reduce((s, row) => s + spendOf(row), 0);
  const money$ = (v: number) => money(v, currency);
  const revenue = table(
    [by, 'spend', ...models],
    [
      ...r.table.map((row) => [
        String(row[by]),
        spendOf(row) > 0 ? money$(spendOf(row)) : '–',
        ...models.map((m) => money$(cell(row, `${m}_value`))),
      ]),
      ['total', money$(totalSpend), ...r.models.map((m) => money$(m.total_value))],
      ['(none) share', '', ...r.models.map((m) => pct(m.none.value_share))],
    ],
  );
  const roi = table(
    [by, 'spend', ...models],
    [
      ...r.table
        .filter((row) => spendOf(row) > 0)
        .map((row) => [
          String(row[by]),
          money$(spendOf(row)),
          ...models.map((m) => pct(row[`${m}_roi`] as number | null)),
        ]),
      [
        'total',
        money$(totalSpend),
        ...r.models.map((m) => (totalSpend > 0 ? pct((m.total_value - totalSpend) / totalSpend) : '–')),
      ],
    ],
  );
  const conversions = table(
    [by, ...models],
    [
      ...r.table.map((row) => [String(row[by]), ...models.map((m) => count(cell(row, m)))]),
      ['total', ...r.models.map((m) => count(m.total_conversions))],
      ['(none) share', ...r.models.map((m) => pct(m.none.conversion_share))],
    ],
  );
  return (
    [
      `all models · ${heading(r, totalConversions, totalValue, currency)}`,
      `${value} credited per model\n${revenue}`,
      `ROI per model = (${value.toLowerCase()} credited − spend) / spend, channels with spend\n${roi}`,
      `Conversions credited per model\n${conversions}`,
      '(none) = no touch in the look-back.',
    ].join('\n\n') + '\n'
  );
}
