import { weekday } from '../core/time.js';
import {
  CHANNELS,
  EMAIL_TOOL_COST_PER_DAY,
  MONTH_SEASON,
  SCALE_VISITORS,
  TRADE_SHOWS,
  WEBINAR_COST,
} from './demo.config.js';
import type { DemoContext } from './demo.context.js';
import { becomeLead, newPerson } from './people.generator.js';
import { emitSession } from './web.generator.js';

const DAY = 86_400_000;

/** Trade shows: a large booth cost over three days, and a modest batch of scanned badges as leads. */
export function generateTradeShows(ctx: DemoContext, years: number[]): void {
  const { rng } = ctx;
  const base = SCALE_VISITORS[ctx.opts.scale];
  for (const year of years) {
    for (const s of TRADE_SHOWS) {
      const day = `${year}-${String(s.month).padStart(2, '0')}-15`;
      const startMs = ctx.localTime(day, 9 * 3600);
      if (startMs > ctx.endMs || day < ctx.opts.from) continue;
      const campaign = `tradeshow-${s.name}-${year}`;
      ctx.campaign({
        id: campaign,
        name: `${s.name} ${year}`,
        channel: 'Events',
        kind: 'trade_show',
        launchedAt: new Date(startMs),
        budget: s.cost,
      });
      const cost = s.cost * (1 + (year - 2023) * 0.05);
      for (let d = 0; d < 3; d++) {
        const date = `${year}-${String(s.month).padStart(2, '0')}-${15 + d}`;
        ctx.addSpend(date, 'Events', 'tradeshow', 'event', campaign, cost / 3, 0, 0);
      }
      const leads = rng.poisson(base * 0.35);
      for (let i = 0; i < leads; i++) {
        const ms = startMs + rng.int(0, 2) * DAY + rng.int(0, 8 * 3600) * 1000;
        const p = newPerson(ctx, ctx.id('a'), 'Events', ms, 0.75);
        p.contact.properties = { event: campaign, lead_source_detail: 'badge scan' };
        becomeLead(ctx, p, ms, `import:${campaign}`);
      }
    }
  }
}

/** Webinars: one a month (second Wednesday), cheap to run, registrations come in as their own channel. */
export function generateWebinars(ctx: DemoContext, days: string[]): void {
  for (const date of days) {
    const dom = Number(date.slice(8, 10));
    if (weekday(date) !== 3 || dom < 8 || dom > 14) continue;
    const campaign = `webinar-${date.slice(0, 7)}`;
    ctx.campaign({
      id: campaign,
      name: `Webinar ${date.slice(0, 7)}`,
      channel: 'Webinars',
      kind: 'webinar',
      launchedAt: new Date(ctx.localTime(date, 16 * 3600)),
      budget: WEBINAR_COST,
    });
    ctx.addSpend(date, 'Webinars', 'webinar', 'webinar', campaign, WEBINAR_COST, 0, 0);
  }
}

/** Paid campaigns, blog posts (two a month) and the e-mail tool's daily cost. */
export function generateCampaignsAndContent(ctx: DemoContext, days: string[]): void {
  const { rng } = ctx;
  const first = new Date(ctx.localTime(ctx.opts.from, 9 * 3600));
  for (const c of CHANNELS) {
    for (const name of c.campaigns) {
      if (c.channel === 'Email') continue;
      ctx.campaign({ id: name, name, channel: c.channel, kind: 'paid', launchedAt: first, budget: null });
    }
  }
  for (const date of days) {
    ctx.addSpend(date, 'Email', 'newsletter', 'email', null, EMAIL_TOOL_COST_PER_DAY, 0, 0);
    const dom = Number(date.slice(8, 10));
    if (dom === 5 || dom === 19) {
      const id = `blog-${date}`;
      ctx.campaign({
        id,
        name: `Blog post ${date}`,
        channel: 'Organic Search',
        kind: 'content',
        launchedAt: new Date(ctx.localTime(date, 10 * 3600)),
        budget: rng.int(300, 600),
      });
    }
  }
}

/**
 * E-mail: a monthly newsletter (first Tuesday) to every subscribed contact and a weekly nurture mail
 * (Thursdays) to leads of the last 60 days that are not yet SQL. Clicks become Email sessions.
 */
export async function generateEmail(ctx: DemoContext, days: string[]): Promise<void> {
  const { rng } = ctx;
  const email = CHANNELS.find((c) => c.channel === 'Email');
  if (!email) return;
  for (const date of days) {
    const dom = Number(date.slice(8, 10));
    const wd = weekday(date);
    const newsletter = wd === 2 && dom <= 7;
    const nurture = wd === 4;
    if (!newsletter && !nurture) continue;
    const campaign = newsletter ? `newsletter-${date.slice(0, 7)}` : `nurture-${date}`;
    const sendMs = ctx.localTime(date, 10 * 3600);
    if (sendMs > ctx.endMs) break;
    ctx.campaign({
      id: campaign,
      name: campaign,
      channel: 'Email',
      kind: 'email',
      launchedAt: new Date(sendMs),
      budget: null,
    });
    const season = MONTH_SEASON[Number(date.slice(5, 7)) - 1] ?? 1;
    for (const p of ctx.people) {
      const c = p.contact;
      if (!c.email || (p.unsubscribedAt !== null && p.unsubscribedAt <= sendMs)) continue;
      const joined = c.subscriberAt ?? c.leadAt;
      if (!joined || joined.getTime() > sendMs) continue;
      if (
        nurture &&
        (!c.leadAt || sendMs - c.leadAt.getTime() > 60 * DAY || (c.sqlAt && c.sqlAt.getTime() <= sendMs))
      )
        continue;
      const at = (ms: number) => new Date(ms);
      const out = (type: 'sent' | 'bounce' | 'open' | 'click' | 'reply' | 'unsubscribe', ms: number) => {
        if (ms <= ctx.endMs)
          ctx.out.emailEvent({ timestamp: at(ms), email: c.email ?? '', contactId: c.id, campaign, type });
      };
      out('sent', sendMs);
      if (rng.chance(0.015)) {
        out('bounce', sendMs + 60_000);
        continue;
      }
      if (rng.chance(0.0035)) {
        p.unsubscribedAt = sendMs + rng.exponential(DAY);
        out('unsubscribe', p.unsubscribedAt);
      }
      if (!rng.chance((nurture ? 0.34 : 0.26) * season)) continue;
      const openMs = sendMs + rng.exponential(0.6 * DAY);
      out('open', openMs);
      if (rng.chance(nurture ? 0.03 : 0.004)) out('reply', openMs + rng.exponential(DAY));
      if (!rng.chance(nurture ? 0.16 : 0.11)) continue;
      const clickMs = openMs + rng.int(5, 300) * 1000;
      out('click', clickMs);
      const a = {
        profile: email,
        source: 'newsletter',
        medium: 'email',
        campaign,
        referrer: null,
        clickIdType: null,
      };
      emitSession(ctx, { anonymousId: p.anonymousId, person: p }, a, clickMs + 2000, {
        leadBoost: 2.5,
        originalChannel: c.originalSource ?? 'Email',
      });
    }
    if (ctx.out.backlogged) await ctx.out.drain();
  }
}

const NETWORKS = [
  { network: 'LinkedIn', followers: 2400, posts: 0.9, engagement: 7 },
  { network: 'X', followers: 1800, posts: 1.2, engagement: 2.5 },
  { network: 'Facebook', followers: 900, posts: 0.4, engagement: 1.8 },
  { network: 'Instagram', followers: 600, posts: 0.3, engagement: 3 },
];

/**
 * In the quarter the demo ends in, LinkedIn (most of the comments) gets 35 % fewer posts: the visible
 * reason the demo's social-comments objective is at risk (its check-in says so).
 */
export const LINKEDIN_LEAVE = { network: 'LinkedIn', factor: 0.65 };

/** Social: daily posts (on a schedule), comments, shares, follower count and reach per network. */
export function generateSocial(ctx: DemoContext, days: string[]): void {
  const { rng } = ctx;
  const followers = NETWORKS.map((n) => n.followers);
  const m = Number(ctx.opts.until.slice(5, 7));
  const lastQuarter = `${ctx.opts.until.slice(0, 4)}-${String(m - ((m - 1) % 3)).padStart(2, '0')}-01`;
  days.forEach((date, i) => {
    const growth = 1.3 ** (i / 365);
    const workday = weekday(date) % 6 !== 0;
    NETWORKS.forEach((n, k) => {
      // Posting follows the team's schedule (a steady number a day, not a lottery); what people do
      // with the posts varies. In the quarter the demo ends in, the LinkedIn editor is on leave.
      const leave = n.network === LINKEDIN_LEAVE.network && date >= lastQuarter ? LINKEDIN_LEAVE.factor : 1;
      const rate = (workday ? n.posts : n.posts * 0.15) * leave;
      const posts = Math.floor(rate) + (rng.chance(rate - Math.floor(rate)) ? 1 : 0);
      const comments = posts ? rng.poisson(posts * n.engagement * growth) : rng.poisson(0.3);
      const shares = posts ? rng.poisson(posts * n.engagement * 0.6 * growth) : 0;
      followers[k] = (followers[k] ?? 0) + rng.poisson(3 * growth * (k === 0 ? 2 : 1)) - rng.poisson(0.8);
      const reach = Math.round((followers[k] ?? 0) * (0.04 + posts * 0.12) * (0.7 + rng.next() * 0.6));
      for (const [metric, value] of [
        ['posts', posts],
        ['comments', comments],
        ['shares', shares],
        ['followers', followers[k] ?? 0],
        ['reach', reach],
      ] as const) {
        ctx.social.push({ date, network: n.network, metric, value });
      }
    });
  });
}
