import { Rng } from '../core/random.js';
import { weekday } from '../core/time.js';
import { OWNERS } from './demo.config.js';
import type { DemoContext, Person } from './demo.context.js';
import { personEvent } from './event.row.js';

/**
 * Each salesperson's steady weekday cadence: calls and meetings a day, worked through their own book of
 * sales-qualified contacts. Steady on purpose (whole numbers around the rate), as a sales team with a
 * daily routine is: the demo's activity objectives then read true on any day of the week. Ana books
 * about 16 meetings a week (her objective: 15), Ben calls about 33 different SQLs (30), Chloe makes
 * about 11 calls (10) — except in the quarter of the demo's last day, see CHLOE_ONBOARDING.
 */
export const SALES_CADENCE: ReadonlyArray<{ owner: string; calls: number; meetings: number }> = [
  { owner: OWNERS[0] as string, calls: 3, meetings: 3.2 },
  { owner: OWNERS[1] as string, calls: 6.6, meetings: 1.5 },
  { owner: OWNERS[2] as string, calls: 2, meetings: 1.2 },
  { owner: OWNERS[3] as string, calls: 3.5, meetings: 2 },
  { owner: OWNERS[4] as string, calls: 2.5, meetings: 1.8 },
  { owner: OWNERS[5] as string, calls: 4, meetings: 2.2 },
];

/**
 * From the first day of the quarter the demo ends in, Chloe onboards two enterprise customers and makes
 * 30 % fewer calls: the visible reason her quarterly calls objective is at risk (the demo's check-in
 * on `ten-calls` says so).
 */
export const CHLOE_ONBOARDING = { owner: OWNERS[2] as string, factor: 0.7 };

const HOUR = 3600;

/**
 * Calls and meetings of the sales team on every weekday of the range, as `Call Logged` and `Meeting
 * Booked` events with the salesperson as `owner`, each with a contact of their book (contacts they own
 * that reached SQL by that day); a call goes to someone not yet called that week while the book allows.
 * Uses its own random stream, so the rest of the demo is the same with or without it.
 *
 * @example
 * generateSalesActivity(ctx, days); // after the funnel: the books are the contacts it made SQL
 */
export function generateSalesActivity(ctx: DemoContext, days: readonly string[]): void {
  const rng = new Rng((ctx.opts.seed * 7919 + 104_729) >>> 0);
  let seq = 0;
  const books = new Map<string, Person[]>();
  for (const p of ctx.people) {
    const { owner, sqlAt } = p.contact;
    if (!owner || !sqlAt) continue;
    const list = books.get(owner) ?? [];
    list.push(p);
    books.set(owner, list);
  }
  for (const list of books.values())
    list.sort((a, b) => (a.contact.sqlAt?.getTime() ?? 0) - (b.contact.sqlAt?.getTime() ?? 0));
  const known = new Map<string, number>();
  const calledThisWeek = new Map<string, Set<string>>();
  const m = Number(ctx.opts.until.slice(5, 7));
  const lastQuarter = `${ctx.opts.until.slice(0, 4)}-${String(m - ((m - 1) % 3)).padStart(2, '0')}-01`;
  const whole = (rate: number) => Math.floor(rate) + (rng.chance(rate - Math.floor(rate)) ? 1 : 0);
  const emit = (p: Person, event: string, ms: number, owner: string) => {
    ctx.out.event(personEvent(`m_sales_${(++seq).toString(36)}`, event, p.contact.id, ms, { owner }));
  };
  for (const day of days) {
    const wd = weekday(day);
    if (wd === 0 || wd === 6) continue;
    const dayStart = ctx.localTime(day, 0);
    for (const { owner, calls, meetings } of SALES_CADENCE) {
      const book = books.get(owner) ?? [];
      let n = known.get(owner) ?? 0;
      while (n < book.length && (book[n]?.contact.sqlAt?.getTime() ?? 0) < dayStart) n++;
      known.set(owner, n);
      if (wd === 1 || !calledThisWeek.has(owner)) calledThisWeek.set(owner, new Set());
      const called = calledThisWeek.get(owner) as Set<string>;
      if (n === 0) continue;
      const pick = (fresh: boolean): Person => {
        let p = book[rng.int(0, n - 1)] as Person;
        for (let tries = 0; fresh && called.has(p.contact.id) && tries < 8; tries++)
          p = book[rng.int(0, n - 1)] as Person;
        return p;
      };
      const time = () => ctx.localTime(day, 9 * HOUR + rng.int(0, 8 * HOUR));
      const onboarding = owner === CHLOE_ONBOARDING.owner && day >= lastQuarter;
      for (let i = whole(onboarding ? calls * CHLOE_ONBOARDING.factor : calls); i > 0; i--) {
        const p = pick(true);
        called.add(p.contact.id);
        emit(p, 'Call Logged', time(), owner);
      }
      for (let i = whole(meetings); i > 0; i--) emit(pick(false), 'Meeting Booked', time(), owner);
    }
  }
}
