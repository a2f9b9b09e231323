/** CSV exports: the server writes the file (all rows, formula cells neutralised); the browser saves it. */
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
  const text = await api<string>(url, { query });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
