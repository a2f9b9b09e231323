/**
 * The scoring arithmetic, pure (docs/scoring.md has every formula):
 *
 * - fit = Σ points of the fit rules the contact's fields match;
 * - a behaviour rule keeps a running value S: at each matching event (only the first one for a
 *   once-only rule) S ← clamp(S · 2^(−Δt / half-life) + points), where Δt is the time since the rule's
 *   previous event and clamp keeps S within ±cap; at time T it is worth S · 2^(−(T − t_last) / half-life);
 * - behaviour = Σ rule values; combined = fit + behaviour.
 */
import type { BehaviourRule, FitRule, ScoreModel } from '../domain/scoring.js';

const DAY_MS = 86_400_000;

/** A contact's fields as fit rules see them (FIT_FIELDS, plus `properties.NAME`). */
export type FitContact = Readonly<Record<string, unknown>>;

/** One event that matched a behaviour rule: the rule's index in the model and when (epoch ms). */
export interface Hit {
  rule: number;
  at: number;
}

/**
 * 2^(−age / half-life): what one point is worth after `ageDays` (1 without a half-life).
 *
 * @example
 * decay(30, 30); // 0.5
 * decay(10, undefined); // 1
 */
export function decay(ageDays: number, halfLifeDays: number | undefined): number {
  if (halfLifeDays === undefined || ageDays <= 0) return 1;
  return 2 ** (-ageDays / halfLifeDays);
}

/**
 * The first number in a field ("51-200" → 51, "1000+" → 1000), for `between` tests; null if none.
 *
 * @example
 * leadingNumber('201-1000'); // 201
 */
export function leadingNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  const m = /-?\d+(?:\.\d+)?/.exec(String(v ?? '').replace(/,/g, ''));
  return m ? Number(m[0]) : null;
}

const regexCache = new Map<string, RegExp>();

/** Whether one fit rule matches the contact. */
export function fitMatches(rule: FitRule, contact: FitContact): boolean {
  const raw = contact[rule.field];
  if (raw === null || raw === undefined || raw === '') return false;
  if (rule.in) {
    const v = String(raw).trim().toLowerCase();
    return rule.in.some((x) => x.trim().toLowerCase() === v);
  }
  if (rule.matches !== undefined) {
    let re = regexCache.get(rule.matches);
    if (!re) {
      re = new RegExp(rule.matches, 'i');
      regexCache.set(rule.matches, re);
    }
    return re.test(String(raw));
  }
  if (rule.between) {
    const n = leadingNumber(raw);
    return n !== null && n >= rule.between[0] && n <= rule.between[1];
  }
  return false;
}

/**
 * Fit points and the rules that gave them.
 *
 * @example
 * fitScore({ fit: [{ id: 'cmo', field: 'job_title', matches: 'chief|cmo', points: 20 }] } as ScoreModel,
 *   { job_title: 'CMO' }); // { total: 20, rules: [{ id: 'cmo', points: 20 }] }
 */
export function fitScore(
  model: Pick<ScoreModel, 'fit'>,
  contact: FitContact,
): { total: number; rules: Array<{ id: string; points: number }> } {
  const rules = model.fit.filter((r) => fitMatches(r, contact)).map((r) => ({ id: r.id, points: r.points }));
  return { total: rules.reduce((s, r) => s + r.points, 0), rules };
}

/** The running values of a model's behaviour rules for one contact, events applied in time order. */
export class BehaviourState {
  private readonly value: Float64Array;
  private readonly last: Float64Array;
  readonly events: Uint32Array;

  constructor(private readonly rules: readonly BehaviourRule[]) {
    this.value = new Float64Array(rules.length);
    this.last = new Float64Array(rules.length);
    this.events = new Uint32Array(rules.length);
  }

  /** Applies one matching event; false when a once-only rule has counted already. */
  add(rule: number, at: number): boolean {
    const r = this.rules[rule];
    if (!r) throw new Error(`no behaviour rule ${rule}`);
    if (r.once && this.events[rule]) return false;
    const before = this.events[rule] ? this.valueAt(rule, at) : 0;
    let v = before + r.points;
    if (r.cap !== undefined) v = Math.max(-r.cap, Math.min(r.cap, v));
    this.value[rule] = v;
    this.last[rule] = at;
    this.events[rule] = (this.events[rule] ?? 0) + 1;
    return true;
  }

  /** What a rule is worth at `at` (ms), after decay since its last event. */
  valueAt(rule: number, at: number): number {
    if (!this.events[rule]) return 0;
    const r = this.rules[rule] as BehaviourRule;
    return (this.value[rule] ?? 0) * decay((at - (this.last[rule] ?? at)) / DAY_MS, r.halfLifeDays);
  }

  total(at: number): number {
    let s = 0;
    for (let i = 0; i < this.rules.length; i++) s += this.valueAt(i, at);
    return s;
  }
}

/** Rounds a score for storage and display (two decimals). */
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * Behaviour score of a contact at `asOf` (ms) from its hits (any order; later ones than `asOf` are
 * ignored), with each rule's contribution.
 *
 * @example
 * // 10 points, half-life 30 days, one event 30 days ago → 5
 * behaviourScore([{ id: 'p', page: ['/pricing'], points: 10, halfLifeDays: 30 }], [{ rule: 0, at: 0 }], 30 * 86_400_000);
 */
export function behaviourScore(
  rules: readonly BehaviourRule[],
  hits: readonly Hit[],
  asOf: number,
): { total: number; rules: Array<{ id: string; points: number; events: number }> } {
  const st = new BehaviourState(rules);
  const sorted = [...hits].filter((h) => h.at <= asOf).sort((a, b) => a.at - b.at);
  for (const h of sorted) st.add(h.rule, h.at);
  const out = rules.map((r, i) => ({ id: r.id, points: st.valueAt(i, asOf), events: st.events[i] ?? 0 }));
  return { total: out.reduce((s, r) => s + r.points, 0), rules: out.filter((r) => r.events > 0) };
}
