import { addDays, weekday } from '../core/time.js';
import type { EventRow } from '../domain/event.js';
import {
  ANNUAL_GROWTH,
  CHANNELS,
  type ChannelProfile,
  MONTH_SEASON,
  SCALE_VISITORS,
  SITE,
  SITE_PATHS,
  showCampaign,
  WEEKDAY_SEASON,
} from './demo.config.js';
import type { DemoContext, Person } from './demo.context.js';
import { becomeLead, markSubscriber, newPerson } from './people.generator.js';

const DAY = 86_400_000;
const BOFU = [
  'Demo Requested',
  'Quote Requested',
  'Consultation Requested',
  'Assessment Requested',
  'Meeting Booked',
];
const BOFU_WEIGHTS = [0.45, 0.2, 0.15, 0.1, 0.1];
/** Chance that a lead also asks for a demo, quote, … in the converting session. */
const BOFU_RATE: Record<string, number> = { 'Paid Search': 0.4, Referral: 0.35, Direct: 0.3, Webinars: 0.3 };
const RETURN_CHANNELS = ['Direct', 'Organic Search', 'Email', 'Paid Search', 'Organic Social', 'Referral'];
const RETURN_WEIGHTS = [0.42, 0.22, 0.12, 0.1, 0.07, 0.07];
const byName = new Map(CHANNELS.map((c) => [c.channel, c]));

/** The traffic that a session arrives with: its channel and UTM fields. */
export interface Arrival {
  profile: ChannelProfile;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  referrer: string | null;
  clickIdType: string | null;
}

interface Visitor {
  anonymousId: string;
  person: Person | null;
}

/** Traffic level of a day: growth since the start, month and weekday seasonality. */
export function dayFactor(date: string, dayIndex: number): number {
  const month = Number(date.slice(5, 7)) - 1;
  const growth = (1 + ANNUAL_GROWTH) ** (dayIndex / 365);
  return growth * (MONTH_SEASON[month] ?? 1) * (WEEKDAY_SEASON[weekday(date)] ?? 1);
}

function arrival(ctx: DemoContext, profile: ChannelProfile, date: string): Arrival {
  const { rng } = ctx;
  let campaign: string | null = profile.campaigns.length ? rng.pick(profile.campaigns) : null;
  if (profile.channel === 'Email') campaign = `${campaign}-${date.slice(0, 7)}`;
  if (profile.channel === 'Webinars') campaign = `webinar-${date.slice(0, 7)}`;
  if (profile.channel === 'Events') campaign = showCampaign(date) ?? `tradeshow-${date.slice(0, 4)}`;
  const sourceIdx = rng.int(0, profile.source.length - 1);
  const isUtm = profile.medium !== null && profile.channel !== 'Referral';
  return {
    profile,
    source: profile.channel === 'Direct' ? null : (profile.source[sourceIdx] ?? null),
    medium: isUtm
      ? profile.medium
      : profile.channel === 'Referral'
        ? 'referral'
        : profile.channel === 'Organic Search'
          ? 'organic'
          : null,
    campaign,
    referrer: profile.referrers[Math.min(sourceIdx, profile.referrers.length - 1)] ?? null,
    clickIdType: profile.clickIdType,
  };
}

/**
 * Emits one session of a visitor at `startMs`: its page views and track events, the session row, and
 * (with the channel's lead rate) the form fill that makes the visitor a lead. Returns false past the end.
 */
export function emitSession(
  ctx: DemoContext,
  v: Visitor,
  a: Arrival,
  startMs: number,
  opts: { leadBoost: number; originalChannel: string },
): boolean {
  const { rng } = ctx;
  if (startMs > ctx.endMs) return false;
  const p = a.profile;
  const sessionId = ctx.id('s');
  const pages = Math.min(12, 1 + rng.poisson(p.channel === 'Display' ? 0.6 : 2.1));
  let t = startMs;
  const landing = rng.pick(p.landing);
  const query =
    a.medium && p.channel !== 'Referral' && p.channel !== 'Organic Search'
      ? `?utm_source=${a.source}&utm_medium=${a.medium}${a.campaign ? `&utm_campaign=${a.campaign}` : ''}`
      : '';
  const clickId = a.clickIdType ? rng.hex(20) : null;
  let userId = v.person?.contact.leadAt ? v.person.contact.id : null;
  let events = 0;
  const base = (type: EventRow['type'], event: string | null, path: string | null): EventRow => ({
    messageId: ctx.id('m'),
    type,
    event,
    anonymousId: v.anonymousId,
    userId,
    timestamp: new Date(t),
    receivedAt: new Date(t + rng.int(20, 900)),
    sessionId,
    channel: p.channel,
    source: a.source,
    medium: a.medium,
    campaign: a.campaign,
    term: null,
    content: null,
    referrer: events === 0 ? a.referrer : null,
    url: path ? `${SITE}${path}${events === 0 ? query : ''}` : null,
    path,
    clickIdType: events === 0 && clickId ? a.clickIdType : null,
    clickId: events === 0 ? clickId : null,
    revenue: null,
    value: null,
    currency: null,
    properties: {},
    context: {},
    traits: {},
  });
  let path = landing;
  let isBlog = false;
  for (let i = 0; i < pages; i++) {
    if (i > 0) {
      t += 5_000 + rng.exponential(55_000);
      path = rng.pick(SITE_PATHS);
    }
    isBlog ||= path.startsWith('/blog/');
    const e = base('page', null, path);
    if (i === 0) e.context = { page: { url: e.url, referrer: a.referrer, path } };
    ctx.out.event(e);
    events++;
  }
  if (rng.chance(0.12)) {
    t += rng.exponential(20_000);
    ctx.out.event(base('track', rng.pick(['CTA Clicked', 'Video Played', 'Content Downloaded']), path));
    events++;
  }
  const person = v.person;
  const isLead = person?.contact.leadAt != null && person.contact.leadAt.getTime() <= t;
  if (!isLead && rng.chance(Math.min(0.6, p.leadRate * opts.leadBoost))) {
    t += 10_000 + rng.exponential(40_000);
    const who = person ?? newPerson(ctx, v.anonymousId, opts.originalChannel, t, p.quality);
    v.person = who;
    const form =
      p.channel === 'Webinars'
        ? 'webinar-registration'
        : rng.pick(['contact', 'ebook', 'newsletter-plus', 'pricing']);
    ctx.out.event({ ...base('track', 'Form Submitted', '/thank-you'), properties: { form } });
    userId = who.contact.id;
    const c = who.contact;
    const identify = base('identify', null, null);
    identify.traits = {
      email: c.email,
      firstName: c.firstName,
      lastName: c.lastName,
      company: c.company,
      title: c.jobTitle,
      industry: c.industry,
    };
    ctx.out.event(identify);
    ctx.out.identity({ anonymousId: v.anonymousId, userId: c.id, firstSeen: new Date(t), via: 'identify' });
    events += 2;
    if (rng.chance(BOFU_RATE[p.channel] ?? 0.12)) {
      t += rng.exponential(60_000);
      ctx.out.event(base('track', rng.weighted(BOFU, BOFU_WEIGHTS), '/demo'));
      events++;
    }
    becomeLead(ctx, who, t, `form:${form}`);
  } else if (!person && isBlog && rng.chance(0.015)) {
    const who = newPerson(ctx, v.anonymousId, opts.originalChannel, t, p.quality);
    v.person = who;
    markSubscriber(ctx, who, t + 30_000);
    ctx.out.emailEvent({
      timestamp: new Date(t + 30_000),
      email: who.contact.email ?? '',
      contactId: who.contact.id,
      campaign: 'newsletter-signup',
      type: 'subscribe',
    });
    ctx.out.event({ ...base('track', 'Newsletter Subscribed', path), properties: { list: 'newsletter' } });
    events++;
  }
  ctx.out.session({
    sessionId,
    anonymousId: v.anonymousId,
    userId,
    startedAt: new Date(startMs),
    endedAt: new Date(t),
    events,
    pageViews: pages,
    channel: p.channel,
    source: a.source,
    medium: a.medium,
    campaign: a.campaign,
    term: null,
    content: null,
    referrer: a.referrer,
    landingPath: landing,
  });
  if (p.cpc > 0) {
    const date = sessionDate(ctx, startMs);
    ctx.addSpend(date, p.channel, a.source, a.medium, a.campaign, p.cpc * (0.8 + rng.next() * 0.4), 1, p.ctr);
  }
  return true;
}

function sessionDate(ctx: DemoContext, ms: number): string {
  // Local date: shift by the workspace offset of that day (cached per date in the context).
  const utcDate = new Date(ms).toISOString().slice(0, 10);
  for (const d of [utcDate, addDays(utcDate, 1), addDays(utcDate, -1)]) {
    const start = ctx.localTime(d, 0);
    if (ms >= start && ms < start + DAY) return d;
  }
  return utcDate;
}

/** Local seconds after midnight for a visit: mostly business hours. */
function visitSecond(ctx: DemoContext): number {
  const hour = Math.max(0, Math.min(23.99, ctx.rng.normal(13, 3.5)));
  return Math.floor(hour * 3600);
}

/**
 * Runs every day of the range: new visitors by channel, each with a lifetime of return visits. Trade-show
 * traffic only appears around the shows; everything else follows growth and seasonality.
 */
export async function generateWeb(
  ctx: DemoContext,
  days: string[],
  onDay?: (i: number) => void,
  /** Index of the first day relative to the range start (negative for warm-up days): growth uses it. */
  firstIndex = 0,
): Promise<void> {
  const { rng } = ctx;
  const base = SCALE_VISITORS[ctx.opts.scale];
  const profiles = CHANNELS.filter((c) => c.channel !== 'Events');
  const events = byName.get('Events');
  for (let i = 0; i < days.length; i++) {
    const date = days[i] as string;
    const n = rng.poisson(base * dayFactor(date, Math.max(0, i + firstIndex)));
    for (let k = 0; k < n; k++) {
      const first = rng.weighted(
        profiles,
        profiles.map((c) => c.share),
      );
      visitorLifetime(ctx, first, date);
    }
    if (events && showCampaign(date)) {
      const m = rng.poisson(base * 0.25);
      for (let k = 0; k < m; k++) visitorLifetime(ctx, events, date);
    }
    onDay?.(i);
    if (ctx.out.backlogged) await ctx.out.drain();
  }
}

function visitorLifetime(ctx: DemoContext, first: ChannelProfile, date: string): void {
  const { rng } = ctx;
  const v: Visitor = { anonymousId: ctx.id('a'), person: null };
  let ms = ctx.localTime(date, visitSecond(ctx));
  const visits = 1 + Math.min(25, Math.floor(rng.exponential(first.channel === 'Display' ? 0.3 : 0.9)));
  for (let s = 0; s < visits; s++) {
    const profile =
      s === 0
        ? first
        : rng.chance(0.3)
          ? first
          : (byName.get(rng.weighted(RETURN_CHANNELS, RETURN_WEIGHTS)) ?? first);
    const a = arrival(ctx, profile, new Date(ms).toISOString().slice(0, 10));
    if (!emitSession(ctx, v, a, ms, { leadBoost: s === 0 ? 1 : 1.6, originalChannel: first.channel })) return;
    ms += 40 * 60_000 + rng.exponential(7 * DAY);
  }
}
