/**
 * Lifecycle dates of an imported contact (docs/imports.md, "Lifecycle"). Pure.
 *
 * - Stage dates in the file are kept as given.
 * - `created_at` is the lead date of a contact at lead stage or later (unless `lead_at` is given),
 *   and the subscriber date of a subscriber.
 * - A contact whose stage is past dates the file gives gets the missing funnel dates (lead, mql,
 *   sql, customer, and its current stage) filled: each with the date of the next later stage that
 *   has one (it reached the stage no later than that), else the latest earlier date.
 * - A stage the file gives but no map knows (HubSpot's Other, a custom stage) is no stage: the latest
 *   stage the file dates, else none (no stage, no lead date: such a contact is not counted as a lead).
 */
import { LIFECYCLE_STAGES, type LifecycleStage, stageRank } from '../../domain/crm.js';

/** ContactRow field of each stage date. */
export const STAGE_FIELD = {
  subscriber: 'subscriberAt',
  lead: 'leadAt',
  mql: 'mqlAt',
  sal: 'salAt',
  sql: 'sqlAt',
  opportunity: 'opportunityAt',
  customer: 'customerAt',
} as const satisfies Record<LifecycleStage, string>;

/** Stages the KPIs count (leads, mqls, sqls, customers): filled in when a later stage shows them. */
const FUNNEL: ReadonlySet<LifecycleStage> = new Set(['lead', 'mql', 'sql', 'customer']);

export type StageDates = Partial<Record<LifecycleStage, Date>>;

export interface Lifecycle {
  /** Null: the file's stage is unmapped and the row dates no stage. */
  stage: LifecycleStage | null;
  createdAt: Date;
  dates: StageDates;
  /** Stages whose date was filled in (not in the file). */
  filled: LifecycleStage[];
}

/**
 * The stage, creation date and stage dates of an imported contact; null when there is no date at
 * all to go by (no `created_at` and no stage date).
 *
 * @example
 * const d = (s: string) => new Date(s);
 * lifecycle({ stage: 'customer', createdAt: d('2026-01-05'), dates: { customer: d('2026-03-01') } });
 * // { stage: 'customer', createdAt: 2026-01-05, filled: ['sql', 'mql'],
 * //   dates: { lead: 2026-01-05, mql: 2026-03-01, sql: 2026-03-01, customer: 2026-03-01 } }
 * lifecycle({ createdAt: d('2026-01-05'), dates: {}, unmapped: true }); // { stage: null, dates: {}, … }
 */
export function lifecycle(input: {
  stage?: LifecycleStage | undefined;
  createdAt?: Date | undefined;
  dates: StageDates;
  /** The file gave a stage that could not be mapped: no `lead` by default. */
  unmapped?: boolean;
}): Lifecycle | null {
  const given = input.dates;
  const known = LIFECYCLE_STAGES.filter((s) => given[s] !== undefined);
  const createdAt =
    input.createdAt ??
    known.map((s) => given[s] as Date).reduce<Date | undefined>((a, b) => (a && a <= b ? a : b), undefined);
  if (!createdAt) return null;
  const stage = input.stage ?? known[known.length - 1] ?? (input.unmapped ? null : 'lead');
  if (stage === null) return { stage, createdAt, dates: { ...given }, filled: [] };
  const rank = stageRank(stage);
  const dates: StageDates = { ...given };
  if (rank >= stageRank('lead') && !dates.lead) dates.lead = createdAt;
  if (stage === 'subscriber' && !dates.subscriber) dates.subscriber = createdAt;
  const filled: LifecycleStage[] = [];
  for (let r = rank; r > stageRank('lead'); r--) {
    const s = LIFECYCLE_STAGES[r] as LifecycleStage;
    if (dates[s] || (!FUNNEL.has(s) && s !== stage)) continue;
    let later: Date | undefined;
    let earlier: Date | undefined;
    for (const t of LIFECYCLE_STAGES) {
      const d = dates[t];
      if (!d) continue;
      const tr = stageRank(t);
      if (tr > r && (!later || d < later)) later = d;
      if (tr < r && (!earlier || d > earlier)) earlier = d;
    }
    dates[s] = later ?? earlier ?? createdAt;
    filled.push(s);
  }
  return { stage, createdAt, dates, filled };
}
