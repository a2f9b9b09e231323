/**
 * CSV exports. A KPI's rows: the server writes the file (all rows, formula cells neutralised). Any other
 * table: the rows the page got from the API, written here with the same neutralising.
 */
import { api, type QueryValue } from './api.js';

/**
 * Saves the CSV of a KPI query, `/api/v1/kpis/leads` → `/api/v1/export/kpis/leads.csv`.
 *
 * @example
 * await csvDownload('/api/v1/kpis/leads', { from, to, by: 'channel' }, 'leads.csv');
 */
export async function csvDownload(
  path: string,
  query: Record<string, QueryValue>,
  name: string,
): Promise<void> {
  const url = path.replace('/api/v1/kpis/', '/api/v1/export/kpis/') + '.csv';
  saveText(await api<string>(url, { query }), name);
}

/**
 * One CSV cell: numbers as they are, text quoted when needed, and a text a spreadsheet would run as a
 * formula (`=`, `+`, `-`, `@`, tab, CR first) prefixed with `'`, as the server's exports do.
 *
 * @example
 * csvCell('=HYPERLINK("x")') // `"'=HYPERLINK(""x"")"`
 * csvCell(-12.5)             // '-12.5'
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = /^[=+\-@\t\r]/.test(String(v)) ? `'${String(v)}` : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A table as CSV text: a header row, then one row per record, the columns in `columns` order.
 *
 * @example
 * tableCsv(['channel', 'spend'], [{ channel: 'Email', spend: 1152 }]) // 'channel,spend\nEmail,1152\n'
 */
export function tableCsv(columns: readonly string[], rows: readonly object[]): string {
  const cell = (r: object, c: string) => csvCell((r as Record<string, unknown>)[c]);
  const lines = [
    columns.map(csvCell).join(','),
    ...rows.map((r) => columns.map((c) => cell(r, c)).join(',')),
  ];
  return `${lines.join('\n')}\n`;
}

/** Saves `text` as a file named `name` through the browser's download. */
export function saveText(text: string, name: string, type = 'text/csv;charset=utf-8'): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
