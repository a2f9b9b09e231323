/**
 * Shared shapes of the import pipeline: kinds, rows after column mapping, row issues, counts and
 * the handler each kind implements (validate a row; write a batch).
 */
import type { WorkspaceStore } from '../../store/store.js';
import type { CompiledChannelRules } from '../channels.js';
import type { CellIssue } from './records.js';
import type { DateStyle } from './values.js';
import type { RowWarning } from './warnings.js';

export const IMPORT_KINDS = ['events', 'contacts', 'deals', 'spend', 'email', 'social'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export type TabularKind = Exclude<ImportKind, 'events'>;

/** The generic columns of INTERFACE.md, plus the stage dates contacts also accept. */
export const GENERIC_COLUMNS: Readonly<Record<TabularKind, readonly string[]>> = {
  contacts: [
    'id',
    'email',
    'first_name',
    'last_name',
    'company',
    'industry',
    'job_title',
    'company_size',
    'country',
    'market',
    'lifecycle_stage',
    'original_source',
    'owner',
    'created_at',
    'subscriber_at',
    'lead_at',
    'mql_at',
    'sal_at',
    'sql_at',
    'opportunity_at',
    'customer_at',
  ],
  deals: [
    'id',
    'contact_id',
    'contact_email',
    'name',
    'amount',
    'currency',
    'stage',
    'pipeline',
    'owner',
    'created_at',
    'closed_at',
    'won',
    'company_id',
  ],
  spend: [
    'date',
    'channel',
    'source',
    'medium',
    'campaign',
    'cost',
    'currency',
    'impressions',
    'clicks',
    'reach',
  ],
  email: ['timestamp', 'email', 'contact_id', 'campaign', 'type'],
  social: ['date', 'network', 'metric', 'value'],
};

/** Columns a generic CSV header must have (one of each inner list). */
export const REQUIRED_COLUMNS: Readonly<Record<TabularKind, ReadonlyArray<readonly string[]>>> = {
  contacts: [['id', 'email']],
  deals: [['id'], ['stage'], ['amount'], ['created_at']],
  spend: [['date'], ['cost']],
  email: [['timestamp'], ['email'], ['type']],
  social: [['date'], ['network'], ['metric'], ['value']],
};

/** A row after column mapping: generic field → text (blank cells left out), and everything else. */
export interface MappedRow {
  fields: Record<string, string>;
  /** Columns the kind has no field for, under their names in the file. */
  properties: Record<string, unknown>;
  /** Deals: stages the export dates (HubSpot's `Date entered "…"` columns), time as written. */
  entries?: StageEntryText[];
  /** A stage (or lead status) as written that the preset's map does not know. */
  unmappedStage?: string;
}

/** A dated stage from an export column: the stage, its time as written, and the column. */
export interface StageEntryText {
  stage: string;
  at: string;
  column: string;
}

/** A bad row as reported: its line, the column (as named in the file) and why. */
export interface RowIssue {
  line: number;
  column: string;
  reason: string;
}

export type Parsed<T> = { ok: true; item: T } | { ok: false; issues: CellIssue[] };

/** What an import did. `updated`/`skipped` mean "changed" / "already stored as is". */
export interface Counts {
  imported: number;
  updated: number;
  skipped: number;
  /** Spend/social rows already stored with other values, kept as stored (see docs/imports.md). */
  conflicts: number;
  /** Stage-history rows added (contacts, deals, and leads from identify). */
  history: number;
  /** Events only: sessions written, identity links added, contacts created or updated. */
  sessions: number;
  identities: number;
  contacts: number;
  /** Deals: stored without their contact (not imported yet). Contacts: such deals now linked. */
  unlinked: number;
  linked: number;
}

export function zeroCounts(): Counts {
  return {
    imported: 0,
    updated: 0,
    skipped: 0,
    conflicts: 0,
    history: 0,
    sessions: 0,
    identities: 0,
    contacts: 0,
    unlinked: 0,
    linked: 0,
  };
}

/** Everything a kind handler needs to know about the import it is part of. */
export interface ImportContext {
  ws: WorkspaceStore;
  tz: string;
  currency: string;
  rules: CompiledChannelRules;
  dates: DateStyle;
  /** Stage-history reason: `import:<file name>`. */
  reason: string;
  /** The import's clock (observed stage changes of open deals are dated with it). */
  now: Date;
  /** Reports a warning about a row that is imported (kept only in the pass that writes). */
  warn(w: RowWarning): void;
}

/**
 * One kind of data: validates rows (pure, so the first pass can check the whole file before
 * anything is written) and writes batches of valid items in the second pass.
 */
export interface KindHandler<T, I = MappedRow> {
  /** Validates one mapped row (events: one JSON object). */
  parse(input: I, line: number): Parsed<T>;
  /** Checks that need the store (a deal's contact exists), per batch: problems by item index. */
  check?(items: readonly T[]): Promise<Map<number, CellIssue[]>>;
  /**
   * A cheaper first-pass check, for kinds whose rows need no store lookups (events): whether the
   * row is valid, and its time.
   */
  validate?(input: I, line: number): { ok: true; time: number } | { ok: false; issues: CellIssue[] };
  /** Event time in ms, when the kind cares about order (events). */
  timeOf?(item: T): number;
  write(items: readonly T[]): Promise<void>;
  /** Writes what was held back (spend and social aggregate the whole file). */
  finish(): Promise<void>;
  readonly counts: Counts;
}
