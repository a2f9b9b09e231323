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
 * Renders rows as an aligned text table (numbers right-aligned).
 *
 * @example
 * renderTable([{ kind: 'events', rows: 12 }]);
 * // 'kind    rows\n------  ----\nevents    12\n'
 */
export function renderTable(rows: readonly Record<string, unknown>[], columns?: string[]): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  if (cols.length === 0) return '(no rows)\n';
  const text = rows.map((r) => cols.map((c) => cell(r[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...text.map((t) => (t[i] ?? '').length)));
  const numeric = cols.map(
    (c) => rows.length > 0 && rows.every((r) => r[c] == null || typeof r[c] === 'number'),
  );
  const line = (vals: string[]) =>
    vals
      .map((v, i) => (numeric[i] ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[line(cols), line(widths.map((w) => '-'.repeat(w))), ...text.map(line)].join('\n')}\n`;
}

/** RFC 4180 CSV with a header row. */
export function renderCsv(rows: readonly Record<string, unknown>[], columns?: string[]): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const esc = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return `${[cols.map(esc).join(','), ...rows.map((r) => cols.map((c) => esc(cell(r[c]))).join(','))].join('\n')}\n`;
}

/** Prints `json` as given, or its `rows` as a table/CSV. */
export function render(
  format: Format,
  json: unknown,
  rows: readonly Record<string, unknown>[],
  columns?: string[],
): string {
  if (format === 'json') return `${JSON.stringify(json)}\n`;
  if (format === 'csv') return renderCsv(rows, columns);
  return renderTable(rows, columns);
}
