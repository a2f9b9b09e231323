import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { DEFAULT_SHIFT, FUNNEL_STAGES, type Stage } from '../../planning/funnel.js';
import { money, pct } from '../../planning/numbers.js';
import { reverseFunnel, review, roadmap, roadmapPlan, target } from '../../usecases/planning.usecase.js';
import { infoOf, onWorkspace } from '../backend.js';
import { formatValue, render, renderCsv, renderTable } from '../format.js';
import type { Runtime } from '../runtime.js';
import { pickFormat } from '../workspace.js';

interface Common {
  workspace: string;
  format?: string;
  asOf?: string;
}

/** A number option: digits with an optional decimal point (and a trailing % where `percent`). */
function num(v: string | undefined, field: string, percent = false): number | undefined {
  if (v === undefined) return undefined;
  const s = percent ? v.trim().replace(/\s*%$/, '') : v.trim();
  const n = s === '' ? Number.NaN : Number(s);
  if (!Number.isFinite(n)) throw new UserError(`${field} must be a number, got "${v}"`, { field });
  return n;
}

function year(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{4}$/.test(v)) throw new UserError(`--year must be a year YYYY, got "${v}"`, { field: '--year' });
  return Number(v);
}

/** `plan target|funnel|review|roadmap`: revenue target, reverse funnel, channel review, quarterly roadmap. */
export function registerPlan(program: Command, rt: Runtime): void {
  const plan = program
    .command('plan')
    .description(
      'planning: revenue target from history, reverse funnel, keep / cut / double-down review, quarterly roadmap',
    );
  const common = (c: Command) =>
    c
      .option('--as-of <date>', 'plan as if today were this day, YYYY-MM-DD')
      .option('--workspace <slug>', 'workspace', 'demo')
      .option('--format <format>', 'table|json|csv');

  common(plan.command('target'))
    .description("next year's revenue target: average growth of the last 3 years + an uplift")
    .option(
      '--year <yyyy>',
      'the last year of history (default: this year, as its trailing twelve months until it is over)',
    )
    .option('--uplift <points>', 'percentage points added to the average growth', '5')
    .action(async (o: Common & { year?: string; uplift: string }) => {
      const format = pickFormat(rt, o.format);
      const input = { year: year(o.year), uplift: num(o.uplift, '--uplift', true), asOf: o.asOf };
      const r = await onWorkspace(rt, o.workspace, (ws) => target(ws, input), {
        method: 'GET',
        path: '/api/v1/plan/target',
        query: { year: input.year, uplift: input.uplift, as_of: o.asOf },
      });
      if (format === 'json') {
        rt.out(render(format, r, []));
        return;
      }
      const rows = [
        ...r.years.map((y) => ({
          year: y.year,
          ...(r.basis === 'calendar_years' ? {} : { from: y.from ?? '', to: y.to ?? '' }),
          revenue: y.revenue,
          growth: y.growth,
        })),
        {
          year: `${r.target_year} target`,
          ...(r.basis === 'calendar_years' ? {} : { from: '', to: '' }),
          revenue: r.target,
          growth: r.target_growth,
        },
      ];
      if (format === 'csv') {
        rt.out(renderCsv(rows));
        return;
      }
      const cur = (await infoOf(rt, o.workspace)).currency;
      const money = (v: number | undefined) => (v === undefined ? '–' : formatValue(v, 'currency', cur));
      const pct = (v: number) => formatValue(v, 'ratio');
      rt.out(
        renderTable(rows, undefined, {
          kinds: { revenue: 'currency', growth: 'ratio' },
          currency: cur,
          caption: `Revenue target for ${r.target_year}`,
        }),
      );
      rt.out(
        `\naverage growth ${pct(r.average_growth)} + uplift ${pct(r.uplift)} = target growth ${pct(r.target_growth)}; ` +
          `target = ${money(r.years.at(-1)?.revenue)} × (1 + ${pct(r.target_growth)}) = ${money(r.target)}` +
          ' (computed from the unrounded growth; JSON has every figure unrounded to cents)\n',
      );
      if (r.note) rt.out(`${r.note}\n`);
    });

  common(plan.command('funnel'))
    .description('reverse funnel: customers, SQLs, MQLs, leads, visits and budget a revenue goal needs')
    .option(
      '--revenue <amount>',
      'the new revenue to win on top of the last 12 months, in the workspace currency',
    )
    .option('--growth <pct>', "the goal as PCT % of the last 12 months' revenue (the extra revenue to win)")
    .option('--segment <market>', 'only contacts of this market')
    .option('--avg-revenue <n>', 'average first-year revenue per new customer (default: last 12 months)')
    .option('--rate <stage=r...>', `override a rate: ${FUNNEL_STAGES.join('|')}=R, 0 < R ≤ 1`)
    .option(
      '--shift <pct>',
      "percent of the other channels' share of new leads moved to double-down channels",
      String(DEFAULT_SHIFT * 100),
    )
    .action(
      async (
        o: Common & {
          revenue?: string;
          growth?: string;
          segment?: string;
          avgRevenue?: string;
          rate?: string[];
          shift: string;
        },
      ) => {
        const format = pickFormat(rt, o.format);
        const input = {
          revenue: num(o.revenue, '--revenue'),
          growth: num(o.growth, '--growth', true),
          segment: o.segment,
          avgRevenue: num(o.avgRevenue, '--avg-revenue'),
          rates: o.rate ?? [],
          shift: num(o.shift, '--shift', true),
          asOf: o.asOf,
        };
        const r = await onWorkspace(rt, o.workspace, (ws) => reverseFunnel(ws, input), {
          method: 'GET',
          path: '/api/v1/plan/funnel',
          query: {
            revenue: input.revenue,
            growth: input.growth,
            segment: input.segment,
            avg_revenue: input.avgRevenue,
            rate: input.rates,
            shift: input.shift,
            as_of: input.asOf,
          },
        });
        const step = (stage: string, count: number, rate: Stage | null) => ({
          stage,
          count,
          divided_by: rate,
          rate: rate && r.rates[rate],
          source: rate && r.rate_sources[rate],
        });
        const stages = [
          step('total revenue goal', r.total_revenue_goal, null),
          step('new revenue needed', r.new_revenue_needed, null),
          step('customers', r.customers, null),
          step('sqls', r.sqls, 'sql_to_customer'),
          step('mqls', r.mqls, 'mql_to_sql'),
          step('leads', r.leads, 'lead_to_mql'),
          step('visits', r.visits, 'visit_to_lead'),
        ];
        if (format !== 'table') {
          rt.out(render(format, r, stages));
          return;
        }
        const cur = (await infoOf(rt, o.workspace)).currency;
        const money = (v: number) => formatValue(v, 'currency', cur);
        // The two money rows are amounts, the rest counts of people.
        const shown = stages.map((x, i) => ({ ...x, count: i < 2 ? money(x.count) : x.count }));
        rt.out(
          renderTable(shown, undefined, {
            kinds: { count: 'count', rate: 'ratio' },
            caption: `Reverse funnel, from history ${r.from} to ${r.to}${r.segment ? `, market ${r.segment}` : ''}`,
          }),
        );
        rt.out(
          `\ntotal revenue goal ${money(r.total_revenue_goal)} = ${money(r.history.revenue)} in the last 12 months + ${money(r.new_revenue_needed)} new; ` +
            `new customers needed: ${money(r.new_revenue_needed)} ÷ ${money(r.avg_first_year_revenue)} average first-year revenue = ${r.customers}; ` +
            `bottleneck: ${r.bottleneck}\n\n`,
        );
        rt.out(
          renderTable(
            r.channels.map((c) => ({ ...c })),
            undefined,
            {
              kinds: {
                lead_share: 'ratio',
                plan_share: 'ratio',
                leads: 'count',
                cost_per_lead: 'currency',
                budget: 'currency',
              },
              currency: cur,
            },
          ),
        );
        rt.out(
          `\nbudget at historical cost per lead: ${money(r.budget)}; ${r.budget_rule.note}; ` +
            `existing customers brought ${money(r.upsell.revenue_last_12_months)} in the last 12 months (upsell)\n`,
        );
      },
    );

  common(plan.command('review'))
    .description(
      'a year per channel (spend, leads, customers, revenue, CAC, ROI) with keep / cut / double down',
    )
    .option('--year <yyyy>', 'a calendar year (default: the last 12 months, as plan funnel and roadmap use)')
    .action(async (o: Common & { year?: string }) => {
      const format = pickFormat(rt, o.format);
      const input = { year: year(o.year), asOf: o.asOf };
      const r = await onWorkspace(rt, o.workspace, (ws) => review(ws, input), {
        method: 'GET',
        path: '/api/v1/plan/review',
        query: { year: input.year, as_of: o.asOf },
      });
      const rows = r.channels.map((c) => ({
        channel: c.channel,
        spend: c.spend,
        leads: c.leads,
        customers: c.customers,
        revenue: c.revenue,
        cac: c.cac,
        cost_per_lead: c.cost_per_lead,
        roi: c.roi,
        lead_to_customer: c.lead_to_customer_rate,
        verdict: c.verdict,
        reason: c.reason,
      }));
      if (format !== 'table') {
        rt.out(render(format, r, rows));
        return;
      }
      rt.out(
        renderTable(rows, undefined, {
          kinds: {
            spend: 'currency',
            revenue: 'currency',
            cac: 'currency',
            cost_per_lead: 'currency',
            leads: 'count',
            customers: 'count',
            roi: 'ratio',
            lead_to_customer: 'ratio',
          },
          currency: (await infoOf(rt, o.workspace)).currency,
          caption: `Channel review, ${r.from ?? ''} to ${r.to ?? ''}`.replace(/, {2}to $/, ''),
        }),
      );
      const site = r.site_conversion_rate;
      rt.out(
        `\nlanding pages with at least the median traffic (${formatValue(r.median_sessions ?? 0, 'number')} sessions); site conversion ${site === null || site === undefined ? '–' : formatValue(site, 'ratio')}\n\n`,
      );
      rt.out(
        renderTable(
          r.pages.map((p) => ({ ...p, flagged: p.flagged ? 'FLAG' : '', reason: p.reason ?? '' })),
          undefined,
          { kinds: { sessions: 'count', conversions: 'count', conversion_rate: 'ratio' } },
        ),
      );
    });

  common(plan.command('roadmap'))
    .description(
      'the quarterly roadmap: focus areas ranked by expected revenue per unit of budget or effort, SMART objectives for the top one or two',
    )
    .option('--year <yyyy>', "the quarter's year (default: the next quarter's)")
    .option('--quarter <q>', '1-4 (default: the next quarter)')
    .option('--owner <email>', 'owner of the drafted objectives when no objective or goal names one')
    .option(
      '--out <file>',
      'write the goal tree with the drafted objectives as a plan for goals lint / apply',
    )
    .action(async (o: Common & { year?: string; quarter?: string; owner?: string; out?: string }) => {
      const format = pickFormat(rt, o.format);
      if (format === 'csv') throw new UserError('plan roadmap prints table or json', { field: '--format' });
      if (o.quarter !== undefined && !/^[1-4]$/.test(o.quarter.replace(/^q/i, '')))
        throw new UserError(`--quarter must be 1, 2, 3 or 4, got "${o.quarter}"`, { field: '--quarter' });
      const input = {
        year: year(o.year),
        quarter: o.quarter === undefined ? undefined : Number(o.quarter.replace(/^q/i, '')),
        owner: o.owner,
        asOf: o.asOf,
      };
      const query = { year: input.year, quarter: input.quarter, owner: input.owner, as_of: input.asOf };
      const r = await onWorkspace(rt, o.workspace, (ws) => roadmap(ws, input), {
        method: 'GET',
        path: '/api/v1/plan/roadmap',
        query,
      });
      if (o.out) {
        const { yaml } = await onWorkspace(rt, o.workspace, (ws) => roadmapPlan(ws, input), {
          method: 'GET',
          path: '/api/v1/plan/roadmap/plan',
          query,
        });
        writeFileSync(resolve(o.out), yaml);
      }
      if (format === 'json') {
        rt.out(render(format, r, []));
        return;
      }
      const cur = r.currency;
      rt.out(`roadmap for ${r.year} Q${r.quarter} (${r.start} to ${r.due}), from ${r.from} to ${r.to}\n\n`);
      rt.out(
        renderTable(
          r.focus_areas.map((a) => ({
            rank: a.rank,
            focus: a.kind === 'stage' ? `${a.name} (stage)` : a.name,
            action: a.action,
            unit: a.unit,
            budget: money(a.budget, cur),
            expected_revenue: money(a.expected_revenue, cur),
            per_unit: a.impact_per_unit === null ? '–' : a.impact_per_unit.toFixed(2),
            proposed: a.proposed ? 'yes' : '',
          })),
        ),
      );
      rt.out('\n');
      for (const a of r.focus_areas.filter((x) => x.proposed))
        rt.out(`${a.rank}. ${a.name}: ${a.step}. Why: ${a.reason}.\n`);
      rt.out(`\nobjectives (under the goal "${r.goal.title}"):\n`);
      for (const x of r.objectives)
        rt.out(
          `- ${x.id}: ${x.title}; ${x.kpi} from ${x.kpi.endsWith('_rate') ? pct(x.baseline ?? null) : x.baseline} to ` +
            `${x.kpi.endsWith('_rate') ? pct(Number(x.target)) : x.target}, ${x.start} to ${x.due}, owner ${x.owner || '(none: give --owner)'}\n`,
        );
      if (o.out)
        rt.out(
          `\nwritten to ${o.out}: check with \`northstar goals lint ${o.out}\`, load with \`northstar goals apply ${o.out}\`\n`,
        );
    });
}
