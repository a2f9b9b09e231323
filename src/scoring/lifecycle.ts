/**
 * Lifecycle automation, pure: replays a contact's scored events in time order and finds when the
 * combined score first reaches the MQL and then the SQL threshold. Stages only move forward: a score
 * that falls (decay, negative points) never moves a contact back, and a contact the CRM has put at SQL
 * or later is left alone.
 */
import { type LifecycleStage, stageRank } from '../domain/crm.js';
import type { ScoreModel } from '../domain/scoring.js';
import { BehaviourState, type Hit } from './score.math.js';

export interface LifecycleInput {
  /** The stage the store holds now (the CRM's, or an earlier automatic move). */
  stage: LifecycleStage;
  /**
   * From when a threshold crossing may move the contact: the start of its current stage (its lead date,
   * or the last stage change by the CRM or by scoring), epoch ms.
   */
  since: number;
  /**
   * Whether a score already over the threshold at `since` moves the contact at `since`. False after the
   * CRM overrode an automatic move: then only a later event can move the contact again.
   */
  atSince: boolean;
  asOf: number;
}

export interface Move {
  stage: 'mql' | 'sql';
  at: number;
  score: number;
  fit: number;
  behaviour: number;
}

/**
 * The contact's behaviour score at `asOf` and the forward moves its events cause after `since`.
 * `hits` must be sorted by time.
 *
 * @example
 * // thresholds mql 50, sql 90; fit 20; two 40-point events a day apart
 * replay(model, 20, [{ rule: 0, at: day1 }, { rule: 0, at: day2 }], { stage: 'lead', since: 0, atSince: true, asOf: day3 });
 * // moves: [{ stage: 'mql', at: day1, score: 60 }, { stage: 'sql', at: day2, score: 100 }]
 */
export function replay(
  model: Pick<ScoreModel, 'behaviour' | 'thresholds'>,
  fit: number,
  hits: readonly Hit[],
  input: LifecycleInput,
): { behaviour: number; moves: Move[] } {
  const st = new BehaviourState(model.behaviour);
  const moves: Move[] = [];
  const rank = stageRank(input.stage);
  let next: 'mql' | 'sql' | null =
    rank < stageRank('lead')
      ? null
      : rank < stageRank('mql')
        ? 'mql'
        : rank < stageRank('sql')
          ? 'sql'
          : null;
  const check = (at: number) => {
    while (next) {
      const behaviour = st.total(at);
      const score = fit + behaviour;
      if (score < model.thresholds[next]) return;
      moves.push({ stage: next, at, score, fit, behaviour });
      next = next === 'mql' ? 'sql' : null;
    }
  };
  let checkedSince = !input.atSince;
  for (let i = 0; i < hits.length; i++) {
    const h = hits[i] as Hit;
    if (h.at > input.asOf) break;
    if (!checkedSince && h.at > input.since) {
      checkedSince = true;
      if (input.since <= input.asOf) check(input.since);
    }
    st.add(h.rule, h.at);
    // Events at the same instant count together before the threshold is looked at.
    const following = hits[i + 1];
    if (h.at > input.since && !(following && following.at === h.at)) check(h.at);
  }
  if (!checkedSince && input.since <= input.asOf) check(input.since);
  return { behaviour: st.total(input.asOf), moves };
}
