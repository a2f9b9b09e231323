import { Rng } from '../core/random.js';
import { addDays, localDate, today } from '../core/time.js';
import type { Workspace } from '../domain/workspace.js';
import { flattenPlan } from '../goals/goal.tree.js';
import { DEMO_CHANNEL_RULES } from '../ingest/channels.js';
import type { DataCounts, Store } from '../store/store.js';
import {
  generateCampaignsAndContent,
  generateEmail,
  generateSocial,
  generateTradeShows,
  generateWebinars,
} from './channels.generator.js';
import type { Scale } from './demo.config.js';
import { DemoContext, type DemoOptions } from './demo.context.js';
import { type DemoHistory, demoPlan } from './demo.goals.js';
import { applyDemoScoring, plantEngagement } from './demo.scoring.js';
import { DemoWriter } from './demo.writer.js';
import { CHLOE_ONBOARDING, generateSalesActivity } from './sales.generator.js';
import { generateWeb } from './web.generator.js';

export const DEMO_SLUG = 'demo';
export const DEMO_TIMEZONE = 'America/New_York';
const WARMUP_DAYS = 182;

export interface DemoRequest {
  seed?: number;
  scale?: Scale;
  /** Last day generated (local); today by default. The range starts on 1 January three years earlier. */
  until?: string;
  slug?: string;
}

export interface DemoProgress {
  phase: 'web' | 'email' | 'store' | 'done';
  /** 0..1 within the whole run. */
  fraction: number;
  written: { events: number; sessions: number; email: number };
}

/**
 * (Re)creates the demo workspace with three years of reproducible B2B SaaS data. The same seed, scale
 * and `until` give the same rows, byte for byte.
 *
 * @example
 * const { counts } = await runDemo(store, { seed: 1, scale: 'small', until: '2026-11-24' });
 */
export async function runDemo(
  store: Store,
  req: DemoRequest = {},
  onProgress?: (p: DemoProgress) => void,
): Promise<{ workspace: Workspace; counts: DataCounts; options: DemoOptions }> {
  const slug = req.slug ?? DEMO_SLUG;
  const until = req.until ?? today(DEMO_TIMEZONE);
  const opts: DemoOptions = {
    seed: req.seed ?? 1,
    scale: req.scale ?? 'small',
    from: `${Number(until.slice(0, 4)) - 3}-01-01`,
    until,
    timezone: DEMO_TIMEZONE,
    currency: 'USD',
  };
  await store.deleteWorkspace(slug);
  const workspace = await store.createWorkspace({ slug, timezone: opts.timezone, currency: opts.currency });
  const ws = store.forWorkspace(workspace);
  await ws.updateSettings({ ...workspace.settings, channelRules: [...DEMO_CHANNEL_RULES] });

  const days: string[] = [];
  for (let d = opts.from; d <= until; d = addDays(d, 1)) days.push(d);
  // Half a year of warm-up traffic (not stored) so the first year starts with a pipeline, as a real
  // company's would: its leads and open deals are in the CRM, older than the tracked range.
  const warmup: string[] = [];
  for (let d = addDays(opts.from, -WARMUP_DAYS); d < opts.from; d = addDays(d, 1)) warmup.push(d);
  const writer = new DemoWriter(ws, (written) => onProgress?.({ phase: 'store', fraction: -1, written }));
  const ctx = new DemoContext(opts, new Rng(opts.seed), writer);

  generateCampaignsAndContent(ctx, days);
  generateWebinars(ctx, days);
  const years = [...new Set(days.map((d) => Number(d.slice(0, 4))))];
  generateTradeShows(ctx, years);
  const simulated = [...warmup, ...days];
  const progress = (i: number) => {
    if (i % 30 === 0)
      onProgress?.({ phase: 'web', fraction: (0.8 * i) / simulated.length, written: writer.written });
  };
  await generateWeb(ctx, simulated, progress, -WARMUP_DAYS);
  plantEngagement(ctx);
  onProgress?.({ phase: 'email', fraction: 0.8, written: writer.written });
  await generateEmail(ctx, days);
  generateSocial(ctx, days);
  generateSalesActivity(ctx, days);

  const keptOpen = new Set(
    ctx.deals.filter((d) => !d.closedAt || d.closedAt.getTime() >= ctx.startMs).map((d) => d.id),
  );
  await writer.finish({
    contacts: ctx.people.map((p) => p.contact),
    stageChanges: ctx.stageChanges,
    // Deals the warm-up opened stay (the range starts with a pipeline); those it closed are not stored.
    deals: ctx.deals.filter((d) => !d.closedAt || d.closedAt.getTime() >= ctx.startMs),
    dealStages: ctx.dealStages.filter((s) => s.at.getTime() >= ctx.startMs || keptOpen.has(s.dealId)),
    spend: [...ctx.spend.values()].map((r) => ({ ...r, cost: Math.round(r.cost * 100) / 100 })),
    social: ctx.social,
    campaigns: [...ctx.campaigns.values()],
  });
  const plan = demoPlan(until, lastQuarterHistory(ctx));
  await ws.replaceGoals(flattenPlan(plan, new Date(ctx.localTime(opts.from, 0))), 'demo');
  // Why Chloe's calls are at risk, as the owner says it in her check-in (see sales.generator.ts).
  await ws.addCheckin({
    objectiveId: 'ten-calls',
    at: new Date(ctx.localTime(until, 17 * 3600)),
    author: CHLOE_ONBOARDING.owner,
    note: 'Onboarding two new enterprise customers this quarter: about 30 % fewer prospecting calls until it is done',
    confidence: 0.6,
  });
  await ws.addCheckin({
    objectiveId: 'social-comments',
    at: new Date(ctx.localTime(until, 16 * 3600)),
    author: 'social@northstar-demo.com',
    note: 'Our LinkedIn editor is on leave this quarter: 35 % fewer LinkedIn posts, so fewer comments',
    confidence: 0.5,
  });
  await applyDemoScoring(ws, ctx);
  await store.checkpoint();
  const counts = await ws.counts();
  onProgress?.({ phase: 'done', fraction: 1, written: writer.written });
  return { workspace, counts, options: opts };
}

/** Revenue (won deals closed, by local day) in the last full calendar quarter before `until`. */
function lastQuarterHistory(ctx: DemoContext): DemoHistory {
  const until = ctx.opts.until;
  const m = Number(until.slice(5, 7));
  const qStartMonth = m - ((m - 1) % 3);
  const thisQ = `${until.slice(0, 4)}-${String(qStartMonth).padStart(2, '0')}-01`;
  const prevQ = addDays(thisQ, -1).slice(0, 7);
  const pm = Number(prevQ.slice(5, 7));
  const from = `${prevQ.slice(0, 4)}-${String(pm - ((pm - 1) % 3)).padStart(2, '0')}-01`;
  const to = addDays(thisQ, -1);
  const inQ = (d: Date | null) => {
    if (!d) return false;
    const day = localDate(d, ctx.opts.timezone);
    return day >= from && day <= to;
  };
  return {
    revenueLastQuarter: ctx.deals
      .filter((d) => d.won && inQ(d.closedAt))
      .reduce((sum, d) => sum + (d.amount ?? 0), 0),
  };
}
