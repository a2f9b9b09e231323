/**
 * What a preset is: the column names, date spellings and row layout of one tool's export, mapped
 * onto a kind's generic columns. Tabular presets rename and derive; the events preset turns each
 * exported row into a Segment message.
 */
import type { CellIssue, CsvLayout } from '../records.js';
import type { StageEntryText, TabularKind } from '../types.js';
import type { DateStyle } from '../values.js';

/** The fields being built for one row, and the row as the export wrote it. */
export interface DeriveInput {
  /** Generic field → text, already renamed from the export's columns (blank cells left out). */
  fields: Record<string, string>;
  /** The export's row: column → text. */
  values: Readonly<Record<string, unknown>>;
  header: readonly string[];
  /** Dated stages the row holds (deals), for the stage history. */
  entries: StageEntryText[];
  /** Set by `derive` to a stage or status as written that the preset cannot map (the row is kept). */
  unmappedStage?: string;
}

export interface TabularPreset {
  name: string;
  kind: TabularKind;
  format: 'csv';
  /** One line for `--help` and docs. */
  description: string;
  dates: DateStyle;
  /** Columns the export always has (names, or patterns); the header row is the first holding them all. */
  required: ReadonlyArray<string | RegExp>;
  layout?: Pick<CsvLayout, 'classify'>;
  /** Generic field ← the export's column names, first present wins (case-insensitive). */
  columns: Readonly<Record<string, readonly string[]>>;
  /**
   * Adjusts the renamed fields (stage names, won, source/medium). Return `'skip'` to leave the row
   * out (a totals row), or a problem to report for it.
   */
  derive?(input: DeriveInput): undefined | 'skip' | CellIssue;
  /** The column a derived field comes from, for messages (`won` → `Is Closed Won`). */
  derivedFrom?: Readonly<Record<string, string>>;
}

export type MessageResult =
  | { ok: true; message: Record<string, unknown> }
  | { ok: false; issues: CellIssue[] };

export interface EventsPreset {
  name: string;
  kind: 'events';
  format: 'ndjson';
  description: string;
  /** One exported row → a Segment-spec message (with a stable messageId). */
  toMessage(row: Readonly<Record<string, unknown>>): MessageResult;
  /**
   * The export has no identify calls: an event carrying both an anonymous id and a user id links
   * them (identities, `via: import`).
   */
  linksIds?: boolean;
}

export type Preset = TabularPreset | EventsPreset;

/**
 * The header cell matching one of `names` (case-insensitive, trimmed), or undefined.
 *
 * @example
 * findColumn(['Record ID', 'EMAIL'], ['Email']); // 'EMAIL'
 */
export function findColumn(header: readonly string[], names: readonly string[]): string | undefined {
  for (const name of names) {
    const want = name.trim().toLowerCase();
    const hit = header.find((h) => h.trim().toLowerCase() === want);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/**
 * Whether a header row holds every required column.
 *
 * @example
 * hasColumns(['Day', 'Campaign', 'Cost'], ['Day', /^cost$/i]); // true
 */
export function hasColumns(header: readonly string[], required: ReadonlyArray<string | RegExp>): boolean {
  return required.every((r) =>
    typeof r === 'string' ? findColumn(header, [r]) !== undefined : header.some((h) => r.test(h.trim())),
  );
}

/**
 * A cell's text, trimmed; blank and absent are ''.
 *
 * @example
 * cell({ Amount: ' 12 ' }, 'Amount'); // '12'
 */
export function cell(values: Readonly<Record<string, unknown>>, column: string | undefined): string {
  if (column === undefined) return '';
  const v = values[column];
  if (v === null || v === undefined) return '';
  return (typeof v === 'string' ? v : String(v)).trim();
}
