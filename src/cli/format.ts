/** Output formats every data-printing command takes. */
export const FORMATS = ['table', 'json', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

/** `table` on a terminal, JSON when piped: scripts get something they can parse without flags. */
export function defaultFormat(isTTY: boolean): Format {
  return isTTY ? 'table' : 'json';
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 10_000) / 10_000);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * How a table shows a column's numbers (JSON and CSV always carry the raw number):
 * `currency` in the workspace's currency (`$230,709`, cents below 1,000), `ratio` and `percent` (both
 * fractions: 0.027) as percentages (`2.7 %`), `count` as whole numbers (`12,345`), `days` with one
 * decimal (`12.5 d`), `number` grouped with up to 2 decimals.
 */
export type ColumnKind = 'currency' | 'ratio' | 'percent' | 'count' | 'days' | 'number';

export interface TableOptions {
  /** Kind per column name; columns not named keep the plain rendering. */
  kinds?: Readonly<Record<string, ColumnKind | string | undefined>>;
  /** ISO currency code for `currency` columns (the workspace's). */
  currency?: string;
  /** A line above the table saying what it shows (KPI, period, grain). */
  caption?: string;
  /** Columns right-aligned although they hold text (figures already formatted per row). */
  alignRight?: readonly string[];
}

const numberFormats = new Map<string, Intl.NumberFormat>();
function nf(key: string, make: () => Intl.NumberFormat): Intl.NumberFormat {
  let f = numberFormats.get(key);
  if (!f) {
    f = make();
    numberFormats.set(key, f);
  }
  return f;
}

/**
 * One number as a marketer reads it.
 *
 * @example
 * formatValue(230709.4, 'currency', 'USD'); // '$230,709'
 * formatValue(45.678, 'currency', 'EUR');   // '€45.68'
 * formatValue(0.027, 'ratio');              // '2.7 %'
 * formatValue(3.75, 'count');               // '4'
 */
export function formatValue(v: number, kind: ColumnKind | string, currency = 'USD'): string {
  if (!Number.isFinite(v)) return String(v);
  switch (kind) {
    case 'currency': {
      const cents = Math.abs(v) < 1000 && !Number.isInteger(v);
      return nf(`c${currency}${cents}`, () => {
        try {
          return new Intl.NumberFormat('en-US', {
            style: 'currency',
            currency,
            minimumFractionDigits: cents ? 2 : 0,
            maximumFractionDigits: cents ? 2 : 0,
          });
        } catch {
          return new Intl.NumberFormat('en-US', { maximumFractionDigits: cents ? 2 : 0 });
        }
      }).format(v);
    }
    case 'ratio':
    case 'percent': {
      const pct = v * 100;
      const digits = Math.abs(pct) >= 100 ? 0 : 1;
      return `${nf(`p${digits}`, () => new Intl.NumberFormat('en-US', { maximumFractionDigits: digits })).format(pct)} %`;
    }
    case 'count':
      return nf('n0', () => new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })).format(v);
    case 'days':
      return `${nf('d1', () => new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })).format(v)} d`;
    case 'number':
      return nf('n2', () => new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 })).format(v);
    default:
      return cell(v);
  }
}

/**
 * Renders rows as an aligned text table (numbers right-aligned).
 *
 * @example
 * renderTable([{ kind: 'events', rows: 12 }]);
 * // 'kind    rows\n------  ----\nevents    12\n'
 * renderTable([{ channel: 'Email', revenue: 230709 }], undefined, { kinds: { revenue: 'currency' } });
 * // 'channel  revenue\n-------  --------\nEmail    $230,709\n'
 */
export function renderTable(
  rows: readonly Record<string, unknown>[],
  columns?: string[],
  opts: TableOptions = {},
): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const caption = opts.caption ? `${opts.caption}\n\n` : '';
  if (cols.length === 0) return `${caption}(no rows)\n`;
  const show = (c: string, v: unknown) => {
    const kind = opts.kinds?.[c];
    return kind && typeof v === 'number' ? formatValue(v, kind, opts.currency) : cell(v);
  };
  const text = rows.map((r) => cols.map((c) => show(c, r[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...text.map((t) => (t[i] ?? '').length)));
  const numeric = cols.map(
    (c) =>
      opts.alignRight?.includes(c) ||
      (rows.length > 0 && rows.every((r) => r[c] == null || typeof r[c] === 'number')),
  );
  const line = (vals: string[]) =>
    vals
      .map((v, i) => (numeric[i] ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${caption}${[line(cols), line(widths.map((w) => '-'.repeat(w))), ...text.map(line)].join('\n')}\n`;
}

/**
 * A text cell a spreadsheet would run as a formula (`=cmd|…`, `+1+1`, `-1+1`, `@SUM(…)`, or one
 * starting with a tab or carriage return) gets a leading `'`, which spreadsheets show as text. Numbers
 * are numbers, never changed: imported and tracked text (a visitor's utm_campaign) is what this is for.
 *
 * @example
 * neutralizeFormula("=HYPERLINK(\"http://x\")"); // "'=HYPERLINK(\"http://x\")"
 */
export function neutralizeFormula(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** RFC 4180 CSV with a header row; text cells that would run as formulas are neutralized. */
export function renderCsv(rows: readonly Record<string, unknown>[], columns?: string[]): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const esc = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const text = (v: unknown) => (typeof v === 'number' ? cell(v) : neutralizeFormula(cell(v)));
  return `${[cols.map((c) => esc(neutralizeFormula(c))).join(','), ...rows.map((r) => cols.map((c) => esc(text(r[c]))).join(','))].join('\n')}\n`;
}

/** Prints `json` as given, or its `rows` as a table (formatted per `opts`) or CSV (raw). */
export function render(
  format: Format,
  json: unknown,
  rows: readonly object[],
  columns?: string[],
  opts: TableOptions = {},
): string {
  if (format === 'json') return `${JSON.stringify(json)}\n`;
  const records = rows as readonly Record<string, unknown>[];
  if (format === 'csv') return renderCsv(records, columns);
  return renderTable(records, columns, opts);
}
