import { addDays, weekday } from '../core/time.js';
import type { PlanInput } from '../domain/goal.js';
import { OWNERS } from './demo.config.js';

export interface DemoHistory {
  /** Leads and opportunities created in the last full quarter before `until`. */
  leadsLastQuarter: number;
  opportunitiesLastQuarter: number;
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

/**
 * The demo's goal tree, built from the seed articles' own examples (SPEC §1), dated around `until` so
 * the current quarter is in progress. Counts that depend on the data's size come from its history.
 */
export function demoPlan(until: string, h: DemoHistory): PlanInput {
  const q = quarterStart(until);
  const qEnd = quarterEnd(q);
  const year = until.slice(0, 4);
  const monthStart = `${until.slice(0, 7)}-01`;
  const monday = addDays(until, -((weekday(until) + 6) % 7));
  const sunday = addDays(monday, 6);
  const [ana, ben, chloe] = OWNERS as [string, string, string];
  return {
    goals: [
      {
        id: 'increase-revenue',
        title: 'Increase revenue',
        owner: 'ceo@northstar-demo.com',
        objectives: [
          {
            id: 'monthly-revenue-plus-15',
            title: '+15 % monthly revenue next quarter',
            kpi: 'revenue',
            target: '+15%',
            direction: 'increase',
            start: q,
            due: qEnd,
            owner: 'cro@northstar-demo.com',
            team: 'Sales',
            objectives: [
              {
                id: 'halve-sales-cycle',
                title: 'Halve the average sales cycle in 6 months',
                kpi: 'sales_cycle_days',
                target: 'halve',
                direction: 'decrease',
                start: addDays(until, -120),
                due: addDays(until, 62),
                owner: 'vp-sales@northstar-demo.com',
                team: 'Sales',
                tradeoffs: ['a little efficiency for a more personal customer experience'],
              },
              {
                id: 'meetings-per-rep',
                title: '15 meetings a week per salesperson',
                kpi: 'meetings_booked',
                filter: { owner: ana },
                target: 15,
                start: monday,
                due: sunday,
                owner: ana,
                team: 'Sales',
              },
              {
                id: 'touch-30-sqls',
                title: 'Touch 30 sales-qualified leads a week',
                kpi: 'sales_touches',
                filter: { owner: ben },
                target: 30,
                start: monday,
                due: sunday,
                owner: ben,
                team: 'Sales',
              },
              {
                id: 'ten-calls',
                title: '10 calls with interesting prospects a week',
                kpi: 'calls_logged',
                filter: { owner: chloe },
                target: 10,
                start: monday,
                due: sunday,
                owner: chloe,
                team: 'Sales',
              },
            ],
          },
          {
            id: 'ad-cost-minus-10',
            title: '−10 % ad cost next year',
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
            title: `Leads per quarter ${h.leadsLastQuarter} → ${Math.round(h.leadsLastQuarter * 1.5)}`,
            kpi: 'leads',
            baseline: h.leadsLastQuarter,
            target: Math.round(h.leadsLastQuarter * 1.5),
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
                id: 'cpc-down',
                title: 'Cut CPC from $3.50 to $0.50',
                kpi: 'cpc',
                baseline: 3.5,
                target: 0.5,
                direction: 'decrease',
                start: q,
                due: qEnd,
                owner: 'paid-lead@northstar-demo.com',
                team: 'Paid ads',
              },
              {
                id: 'weekly-reach',
                title: 'Grow reach from 500 to 1,000 people a week',
                kpi: 'ad_reach',
                filter: { channel: 'Paid Social' },
                baseline: 500,
                target: 1000,
                start: monday,
                due: sunday,
                owner: 'social@northstar-demo.com',
                team: 'Social',
              },
            ],
          },
          {
            id: 'opportunities-per-quarter',
            title: `Opportunities per quarter ${h.opportunitiesLastQuarter} → ${Math.round(h.opportunitiesLastQuarter * 1.8)}`,
            kpi: 'opportunities',
            baseline: h.opportunitiesLastQuarter,
            target: Math.round(h.opportunitiesLastQuarter * 1.8),
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
            id: 'email-mqls-plus-20',
            title: '+20 % qualified leads from the next email campaign',
            kpi: 'mqls',
            filter: { channel: 'Email' },
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
