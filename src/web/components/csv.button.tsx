/** "Export CSV" for any table: the rows the page shows, as the API gave them (lib/csv.ts). */
import { saveText, tableCsv } from '../lib/csv.js';
import { t } from '../lib/i18n.js';

export function CsvButton({
  name,
  columns,
  rows,
}: {
  /** The file name, `.csv` included. */
  name: string;
  columns: readonly string[];
  rows: readonly object[];
}) {
  return (
    <button type="button" class="secondary" onClick={() => saveText(tableCsv(columns, rows), name)}>
      {t('table.csv')}
    </button>
  );
}
