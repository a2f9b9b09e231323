import type { ContactRow, LifecycleStage } from '../domain/crm.js';
import {
  COMPANY_SIZES,
  companyName,
  DEAL_MEDIAN,
  FIRST_NAMES,
  INDUSTRIES,
  JOB_TITLES,
  LAST_NAMES,
  MARKET_WEIGHTS,
  MARKETS,
  OWNERS,
} from './demo.config.js';
import type { DemoContext, Person } from './demo.context.js';
import { personEvent } from './event.row.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** A new CRM contact with a plausible name, company and firmographics. */
export function newPerson(
  ctx: DemoContext,
  anonymousId: string,
  originalSource: string,
  createdMs: number,
  quality: number,
): Person {
  const { rng } = ctx;
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const company = companyName((xs) => rng.pick(xs));
  const domain = `${company.split(' ')[0]?.toLowerCase()}.example`;
  const id = ctx.id('u');
  // Referral and events skew to larger companies: that is where their bigger deals come from.
  const big = originalSource === 'Events' || originalSource === 'Referral';
  const size = rng.weighted(COMPANY_SIZES, big ? [0.05, 0.15, 0.3, 0.3, 0.2] : [0.2, 0.3, 0.28, 0.15, 0.07]);
  const contact: ContactRow = {
    id,
    email: `${ascii(first)}.${ascii(last)}.${id.slice(2, 6)}@${domain}`,
    firstName: first,
    lastName: last,
    company,
    industry: rng.pick(INDUSTRIES),
    jobTitle: rng.pick(JOB_TITLES),
    companySize: size,
    country: null,
    market: rng.weighted(MARKETS, MARKET_WEIGHTS),
    lifecycleStage: 'subscriber',
    originalSource,
    owner: null,
    createdAt: new Date(createdMs),
    subscriberAt: null,
    leadAt: null,
    mqlAt: null,
    salAt: null,
    sqlAt: null,
    opportunityAt: null,
    customerAt: null,
    properties: {},
  };
  contact.country =
    contact.market === 'EMEA'
      ? rng.pick(['PL', 'DE', 'FR', 'RO', 'GB'])
      : contact.market === 'APAC'
        ? rng.pick(['KR', 'JP', 'AU', 'SG'])
        : rng.pick(['US', 'CA']);
  const person: Person = { contact, anonymousId, quality, unsubscribedAt: null };
  ctx.people.push(person);
  return person;
}

function ascii(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[^a-zA-Z]/g, '')
    .toLowerCase();
}

function reach(ctx: DemoContext, p: Person, stage: LifecycleStage, ms: number, reason: string): boolean {
  if (ms > ctx.endMs) return false;
  const c = p.contact;
  const at = new Date(ms);
  const field = `${stage}At` as const;
  if (c[field]) return true;
  c[field] = at;
  c.lifecycleStage = stage;
  ctx.stageChanges.push({ contactId: c.id, stage, at, reason });
  return true;
}

/** Server-side CRM/sales events (no session): calls, meetings, trials. */
function serverEvent(
  ctx: DemoContext,
  p: Person,
  name: string,
  ms: number,
  properties: Record<string, unknown>,
): void {
  if (ms > ctx.endMs) return;
  ctx.out.event(personEvent(ctx.id('m'), name, p.contact.id, ms, properties));
}

export function markSubscriber(ctx: DemoContext, p: Person, ms: number): void {
  reach(ctx, p, 'subscriber', ms, 'newsletter signup');
}

/**
 * Makes the person a lead at `ms` and simulates the rest of their funnel: MQL, SAL, SQL, opportunity
 * (a deal), won or lost, with sales calls and meetings along the way. Nothing lands after the end.
 */
export function becomeLead(ctx: DemoContext, p: Person, ms: number, reason: string): void {
  const { rng } = ctx;
  if (!reach(ctx, p, 'lead', ms, reason)) return;
  const q = p.quality;
  if (rng.chance(0.22)) {
    const trialMs = ms + rng.exponential(3 * DAY);
    serverEvent(ctx, p, 'Trial Started', trialMs, { plan: 'pro-trial' });
    if (rng.chance(0.45 * Math.min(1.3, q)))
      serverEvent(ctx, p, 'Product Qualified', trialMs + rng.exponential(6 * DAY) + HOUR, {});
  }
  if (!rng.chance(Math.min(0.9, 0.36 * q))) return;
  const mql = ms + HOUR + rng.exponential(9 * DAY);
  if (!reach(ctx, p, 'mql', mql, rng.chance(0.6) ? 'score>=50' : 'nurture')) return;
  if (!rng.chance(0.85)) return;
  const owner = rng.pick(OWNERS);
  p.contact.owner = owner;
  const sal = mql + HOUR + rng.exponential(1.5 * DAY);
  if (!reach(ctx, p, 'sal', sal, `accepted:${owner}`)) return;
  if (!rng.chance(Math.min(0.9, 0.5 * Math.sqrt(q)))) return;
  const sql = sal + HOUR + rng.exponential(6 * DAY);
  if (!reach(ctx, p, 'sql', sql, `qualified:${owner}`)) return;
  const calls = rng.int(1, 5);
  for (let i = 0; i < calls; i++)
    serverEvent(ctx, p, 'Call Logged', sql + rng.exponential(5 * DAY), { owner });
  if (!rng.chance(0.66)) return;
  const opp = sql + HOUR + rng.exponential(5 * DAY);
  serverEvent(ctx, p, 'Meeting Booked', opp - rng.int(1, 48) * HOUR, { owner });
  if (!reach(ctx, p, 'opportunity', opp, `deal created:${owner}`)) return;
  openDeal(ctx, p, opp, owner);
}

const DEAL_STAGES = ['discovery', 'demo', 'proposal', 'negotiation'] as const;

function openDeal(ctx: DemoContext, p: Person, createdMs: number, owner: string): void {
  const { rng } = ctx;
  const size = (p.contact.companySize ?? '11-50') as keyof typeof DEAL_MEDIAN;
  const amount = Math.round(rng.logNormal(DEAL_MEDIAN[size] ?? 7_500, 0.45) / 10) * 10;
  const sizeFactor = 1 + COMPANY_SIZES.indexOf(size as (typeof COMPANY_SIZES)[number]) * 0.25;
  const cycleMs = rng.logNormal(38 * DAY * sizeFactor, 0.45);
  const closeMs = createdMs + cycleMs;
  const won = rng.chance(Math.min(0.8, 0.3 * Math.sqrt(p.quality)));
  const id = ctx.id('d');
  // Stages are spread over the cycle; a lost deal drops out somewhere along the way.
  const reached = won ? DEAL_STAGES.length : rng.int(1, DEAL_STAGES.length);
  let stage: string = DEAL_STAGES[0];
  for (let i = 0; i < reached; i++) {
    const at = createdMs + (cycleMs * i) / DEAL_STAGES.length;
    if (at > ctx.endMs) break;
    stage = DEAL_STAGES[i] ?? stage;
    ctx.dealStages.push({ dealId: id, stage, at: new Date(at) });
  }
  const closed = closeMs <= ctx.endMs;
  if (closed) {
    stage = won ? 'closed_won' : 'closed_lost';
    ctx.dealStages.push({ dealId: id, stage, at: new Date(closeMs) });
    if (won) reach(ctx, p, 'customer', closeMs, `deal won:${id}`);
  }
  ctx.deals.push({
    id,
    contactId: p.contact.id,
    name: `${p.contact.company} – ${rng.pick(['Pro', 'Business', 'Enterprise'])}`,
    amount,
    currency: ctx.opts.currency,
    stage,
    pipeline: 'new business',
    owner,
    createdAt: new Date(createdMs),
    closedAt: closed ? new Date(closeMs) : null,
    won: closed ? won : null,
    properties: {},
  });
}
