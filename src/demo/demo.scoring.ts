/**
 * Lead scoring on the demo: the rules the demo workspace ships, and the engagement its audience
 * shows. The people generator decides who becomes an MQL (from each lead's hidden quality); here the
 * leads it made MQLs show that interest before their MQL date — content downloads and webinars, a
 * couple each — while other leads do so rarely. Scoring sees only the events, never the decision, so
 * bench/scoring.bench.ts can measure how well it recovers the planted MQLs.
 *
 * It draws from its own random stream, so the rest of the demo is the same with or without it.
 */

import { Rng } from '../core/random.js';
import type { EventRow } from '../domain/event.js';
import { recomputeScores } from '../scoring/recompute.js';
import { parseRules } from '../scoring/rules.yaml.js';
import type { WorkspaceStore } from '../store/store.js';
import type { Scale } from './demo.config.js';
import type { DemoContext } from './demo.context.js';
import { personEvent } from './event.row.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const ASSETS = [
  'roi-calculator',
  'attribution-guide',
  'kpi-templates',
  'state-of-b2b-report',
  'goal-setting-ebook',
];

/** Monthly MQLs marketing promises sales in the demo's SLA, by scale (about what the demo delivers). */
const MQLS_PER_MONTH: Record<Scale, number> = { small: 20, medium: 160, large: 800 };

/** The demo's rules file (what `score rules export` prints on a fresh demo). */
export function demoScoringYaml(scale: Scale): string {
  return `# Demo scoring rules: who fits the B2B SaaS buyer, and what interest looks like.
models:
  - id: demand
    title: Demand generation (moves lead -> MQL -> SQL)
    lifecycle: true
    thresholds: {mql: 70, sql: 130}
    fit:
      - {id: senior-marketer, field: job_title, matches: "head|chief|cmo|vp|director", points: 10}
      - {id: mid-market-up, field: company_size, between: [51, 100000], points: 10}
      - {id: core-industries, field: industry, in: [Software, Financial Services], points: 5}
    behaviour:
      - {id: lead-form, event: Form Submitted, points: 15, once: true}
      - {id: content-download, event: Content Downloaded, points: 20, cap: 40, half_life_days: 60}
      - {id: webinar-attended, event: Webinar Attended, points: 25, cap: 50, half_life_days: 90}
      - {id: pricing-page, page: /pricing, points: 4, cap: 12, half_life_days: 30}
      - {id: bofu-request, event: [Demo Requested, Quote Requested, Consultation Requested, Assessment Requested], points: 25, once: true}
      - {id: trial, event: Trial Started, points: 10, once: true}
      - {id: product-qualified, event: Product Qualified, points: 20, once: true}
      - {id: email-click, email: click, points: 3, cap: 9, half_life_days: 30}
      - {id: email-reply, email: reply, points: 10, cap: 10, half_life_days: 30}
      - {id: unsubscribed, email: unsubscribe, points: -20, once: true}
  - id: product
    title: Product-led signals (score only)
    thresholds: {mql: 40, sql: 80}
    behaviour:
      - {id: trial, event: Trial Started, points: 20, once: true}
      - {id: product-qualified, event: Product Qualified, points: 40, once: true}
      - {id: pricing-page, page: /pricing, points: 5, cap: 15, half_life_days: 14}
sla:
  sql_follow_up_hours: 24
  follow_up_events: [Call Logged, Meeting Booked]
  mqls_per_month: ${MQLS_PER_MONTH[scale]}
`;
}

function track(
  ctx: DemoContext,
  seq: number,
  userId: string,
  event: string,
  at: number,
  props: Record<string, unknown>,
): EventRow {
  return personEvent(`m_sc${ctx.opts.seed.toString(36)}_${seq.toString(36)}`, event, userId, at, props);
}

/**
 * Emits the engagement of every generated lead: leads the generator made MQLs download content or
 * attend a webinar 2 + Poisson(1) times between their lead and MQL dates (the last in the final fifth
 * of that time); the others Poisson(0.3)
 * times in their first month. Call after the web generator (which decides the funnel).
 */
export function plantEngagement(ctx: DemoContext): void {
  const rng = new Rng(ctx.opts.seed * 7919 + 16);
  let seq = 0;
  for (const p of ctx.people) {
    const c = p.contact;
    if (!c.leadAt) continue;
    const from = c.leadAt.getTime();
    const mql = c.mqlAt?.getTime() ?? null;
    const n = mql === null ? rng.poisson(0.3) : 2 + rng.poisson(1);
    const span = mql === null ? 30 * DAY : Math.max(HOUR, mql - from);
    for (let i = 0; i < n; i++) {
      // Interest builds up to the MQL date: the last touch comes in the final fifth of the way.
      const at = from + (i === n - 1 && mql !== null ? 0.8 + 0.2 * rng.next() : rng.next()) * span;
      const webinar = rng.chance(0.35);
      const row = webinar
        ? track(ctx, ++seq, c.id, 'Webinar Attended', at, {
            webinar: `webinar-${new Date(at).toISOString().slice(0, 7)}`,
          })
        : track(ctx, ++seq, c.id, 'Content Downloaded', at, { asset: rng.pick(ASSETS) });
      ctx.out.event(row);
    }
  }
}

/**
 * Loads the demo rules and scores the whole demo as of its last day: scores, automatic MQL/SQL
 * moves of leads the generator left at an earlier stage, and the SLA show on a fresh demo.
 */
export async function applyDemoScoring(ws: WorkspaceStore, ctx: DemoContext): Promise<void> {
  const yaml = demoScoringYaml(ctx.opts.scale);
  await ws.putScoringRules(yaml, parseRules(yaml, 'demo scoring rules'));
  await recomputeScores(ws, { asOf: new Date(ctx.endMs) });
}
