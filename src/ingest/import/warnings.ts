/**
 * Warnings of an import: rows that were imported but deserve a look (a stage Northstar cannot map, a
 * won deal without an amount, a deal whose contact is not imported yet). They never block an import;
 * they are grouped (by kind, column and, for stages, the value) with the lines they come from.
 */

export type WarningCode = 'unmapped_stage' | 'won_without_amount' | 'contact_not_imported';

/** One row's warning, as a handler reports it. */
export interface RowWarning {
  code: WarningCode;
  line: number;
  /** The column it is about, as the file names it. */
  column: string;
  /** The value it is about (the stage as written); grouped by it when given. */
  value?: string;
  /** What happened to the row, one line. */
  message: string;
}

/** A group of warnings as reported (snake_case, like every JSON the CLI prints). */
export interface ImportWarning {
  code: WarningCode;
  column: string;
  value: string | null;
  message: string;
  /** Rows with this warning (all counted). */
  rows: number;
  /** The first lines, in file order. */
  lines: number[];
}

/** Lines kept per group. */
const KEEP_LINES = 1000;

/**
 * Collects row warnings into groups.
 *
 * @example
 * const log = new WarningLog();
 * log.add({ code: 'unmapped_stage', line: 4, column: 'Lifecycle Stage', value: 'Other', message: '…' });
 * log.groups(); // [{ code: 'unmapped_stage', value: 'Other', rows: 1, lines: [4], … }]
 */
export class WarningLog {
  private readonly byKey = new Map<string, ImportWarning>();

  add(w: RowWarning): void {
    const value = w.value ?? null;
    const key = `${w.code}\u0000${w.column}\u0000${value ?? ''}`;
    let g = this.byKey.get(key);
    if (!g) {
      g = { code: w.code, column: w.column, value, message: w.message, rows: 0, lines: [] };
      this.byKey.set(key, g);
    }
    g.rows++;
    if (g.lines.length < KEEP_LINES) g.lines.push(w.line);
  }

  /** The groups, the most frequent first (ties: the earliest line first). */
  groups(): ImportWarning[] {
    return [...this.byKey.values()]
      .map((g) => ({ ...g, lines: [...g.lines].sort((a, b) => a - b) }))
      .sort((a, b) => b.rows - a.rows || (a.lines[0] ?? 0) - (b.lines[0] ?? 0));
  }

  /** Rows with an unmapped stage, and how many rows had each value. */
  unmappedStages(): { rows: number; values: Record<string, number> } {
    const values: Record<string, number> = {};
    let rows = 0;
    for (const g of this.groups()) {
      if (g.code !== 'unmapped_stage') continue;
      rows += g.rows;
      const v = g.value ?? '';
      values[v] = (values[v] ?? 0) + g.rows;
    }
    return { rows, values };
  }

  get total(): number {
    let n = 0;
    for (const g of this.byKey.values()) n += g.rows;
    return n;
  }
}

/**
 * Warning groups as terminal lines, at most `max` of them (a screenful): one line per group with its
 * first line numbers, then `… and N more` for what did not fit.
 *
 * @example
 * warningLines('deals.csv', [{ code: 'won_without_amount', column: 'Amount', value: null,
 *   message: 'a won deal without an amount: imported, adds nothing to revenue', rows: 2, lines: [3, 9] }]);
 * // ['deals.csv: warning: Amount: a won deal without an amount: imported, adds nothing to revenue (2 rows: lines 3, 9)']
 */
export function warningLines(
  file: string,
  groups: readonly ImportWarning[],
  max = 20,
  perGroup = 10,
): string[] {
  const out: string[] = [];
  let hidden = 0;
  for (const [i, g] of groups.entries()) {
    if (out.length === max - 1 && groups.length - i > 1) {
      hidden = groups.slice(i).reduce((n, x) => n + x.rows, 0);
      break;
    }
    const shown = g.lines.slice(0, perGroup);
    const rest = g.rows - shown.length;
    const lines = `line${shown.length === 1 ? '' : 's'} ${shown.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`;
    out.push(
      `${file}: warning: ${g.column}: ${g.message} (${g.rows} row${g.rows === 1 ? '' : 's'}: ${lines})`,
    );
  }
  if (hidden > 0) out.push(`… and ${hidden} more rows with warnings (see --format json)`);
  return out;
}
