import { addDays, daysBetween, weekday } from '../core/time.js';
import type { PlanInput } from '../domain/goal.js';
import { OWNERS } from './demo.config.js';

export interface DemoHistory {
  /** Revenue (won deals closed) in the last full calendar quarter before `until`. */
  revenueLastQuarter: number;
}

function quarterStart(date: string): string {
  const m = Number(date.slice(5, 7));
  return `${date.slice(0, 4)}-${String(m - ((m - 1) % 3)).padStart(2, '0')}-01`;
}
function quarterEnd(start: string): string {
  const m = Number(start.slice(5, 7)) + 3;
  const next =
    m > 12
      ? `${Number(start.slice(0, 4)) + 1}-01-01`
      : `${start.slice(0, 4)}-${String(m).padStart(2, '0')}-01`;
  return addDays(next, -1);
}

const usd = (v: number) => `$${Math.round(v).toLocaleString('en-US')}`;

/**
 * The demo's goal tree, built from the seed articles' own examples (SPEC §1) with targets a team would
 * set from this company's history, dated around `until` so the current quarter is in progress. Most
 * objectives are on track (the company grows about 30 % a year), Chloe's calls are at risk (she is
 * onboarding two customers this quarter and makes about 8 of her 10 calls a week), and ad cost is off track for a reason the data shows: spend grows with
 * paid traffic while the plan asked for 10 % less. The headline compares this quarter's revenue with
 * last quarter's, stated as its baseline. Every objective passes `goals lint` on the demo.
 */
export function demoPlan(until: string, h: DemoHistory): PlanInput {
  const q = quarterStart(until);
  const qEnd = quarterEnd(q);
  const year = until.slice(0, 4);
  const monthStart = `${until.slice(0, 7)}-01`;
  const monday = addDays(until, -((weekday(until) + 6) % 7));
  const sunday = addDays(monday, 6);
  const [ana, ben, chloe] = OWNERS as [string, string, string];
  const revenueTarget = Math.round(h.revenueLastQuarter * 1.15);
  const quarterCalls = Math.round((10 * (daysBetween(q, qEnd) + 1)) / 7);
  return {
    goals: [
      {
        id: 'increase-revenue',
        title: 'Increase revenue',
        owner: 'ceo@northstar-demo.com',
        objectives: [
          {
            id: 'revenue-plus-15',
            title: `+15 % revenue this quarter over last quarter (${usd(h.revenueLastQuarter)} → ${usd(revenueTarget)})`,
            kpi: 'revenue',
            baseline: h.revenueLastQuarter,
            target: '+15%',
            direction: 'increase',
            start: q,
            due: qEnd,
            owner: 'cro@northstar-demo.com',
            team: 'Sales',
            objectives: [
              {
                id: 'sales-cycle-below-75',
                title: 'Keep the average sales cycle below 75 days',
                kpi: 'sales_cycle_days',
                target: 75,
                direction: 'stay_below',
                start: addDays(until, -120),
                due: addDays(until, 62),
                owner: 'vp-sales@northstar-demo.com',
                team: 'Sales',
                tradeoffs: ['a little efficiency for a more personal customer experience'],
              },
              {
                id: 'meetings-per-rep',
                title: '15 meetings a week per salesperson (Ana)',
                kpi: 'meetings_booked',
                filter: { owner: ana },
                target: 15,
                direction: 'stay_above',
                start: monday,
                due: sunday,
                owner: ana,
                team: 'Sales',
              },
              {
                id: 'touch-30-sqls',
                title: 'Touch 30 sales-qualified leads a week (Ben)',
                kpi: 'sales_touches',
                filter: { owner: ben },
                target: 30,
                direction: 'stay_above',
                start: monday,
                due: sunday,
                owner: ben,
                team: 'Sales',
              },
              {
                id: 'ten-calls',
                title: `10 calls a week with interesting prospects: ${quarterCalls} this quarter (Chloe)`,
                kpi: 'calls_logged',
                filter: { owner: chloe },
                target: quarterCalls,
                direction: 'stay_above',
                start: q,
                due: qEnd,
                owner: chloe,
                team: 'Sales',
              },
            ],
          },
          {
            id: 'ad-cost-minus-10',
            title: '−10 % ad cost this year',
            kpi: 'ad_spend',
            target: '-10%',
            direction: 'decrease',
            start: `${year}-01-01`,
            due: `${year}-12-31`,
            owner: 'paid-lead@northstar-demo.com',
            team: 'Paid ads',
            capacity: { budget: 250_000 },
          },
        ],
      },
      {
        id: 'generate-more-leads',
        title: 'Generate more leads',
        owner: 'cmo@northstar-demo.com',
        objectives: [
          {
            id: 'leads-per-quarter',
            title: '+25 % leads this quarter on the same quarter last year',
            kpi: 'leads',
            target: '+25%',
            start: q,
            due: qEnd,
            owner: 'demand-gen@northstar-demo.com',
            team: 'Demand generation',
            objectives: [
              {
                id: 'blog-posts',
                title: '2 high-intent blog posts a month with inline opt-ins',
                kpi: 'content_published',
                target: 2,
                start: monthStart,
                due: addDays(`${addDays(monthStart, 32).slice(0, 7)}-01`, -1),
                owner: 'content@northstar-demo.com',
                team: 'Blog',
                capacity: { writers: 1 },
              },
              {
                id: 'cpc-below-3-50',
                title: 'Keep the cost per click below $3.50',
                kpi: 'cpc',
                target: 3.5,
                direction: 'stay_below',
                start: q,
                due: qEnd,
                owner: 'paid-lead@northstar-demo.com',
                team: 'Paid ads',
              },
              {
                id: 'paid-social-reach',
                title: '+20 % people reached by paid social this quarter on the same quarter last year',
                kpi: 'ad_reach',
                filter: { channel: 'Paid Social' },
                target: '+20%',
                start: q,
                due: qEnd,
                owner: 'social@northstar-demo.com',
                team: 'Social',
              },
            ],
          },
          {
            id: 'opportunities-per-quarter',
            title: '+20 % opportunities this quarter on the same quarter last year',
            kpi: 'opportunities',
            target: '+20%',
            start: q,
            due: qEnd,
            owner: 'cro@northstar-demo.com',
            team: 'Sales',
          },
        ],
      },
      {
        id: 'nurture-leads',
        title: 'Nurture leads',
        owner: 'cmo@northstar-demo.com',
        objectives: [
          {
            id: 'mqls-plus-20',
            title: '+20 % marketing-qualified leads this quarter (weekly nurture e-mails to new leads)',
            kpi: 'mqls',
            target: '+20%',
            start: q,
            due: qEnd,
            owner: 'email@northstar-demo.com',
            team: 'Email',
          },
        ],
      },
      {
        id: 'customer-engagement',
        title: 'Improve customer engagement',
        owner: 'cmo@northstar-demo.com',
        objectives: [
          {
            id: 'social-comments',
            title: '+25 % comments on our social posts this quarter',
            kpi: 'social_comments',
            target: '+25%',
            start: q,
            due: qEnd,
            owner: 'social@northstar-demo.com',
            team: 'Social',
          },
        ],
      },
      { id: 'build-the-brand', title: 'Build the brand', owner: 'cmo@northstar-demo.com', objectives: [] },
    ],
  };
}
