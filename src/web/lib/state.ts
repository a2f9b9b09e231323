/**
 * The view lives in the URL: the page (path) and everything that shapes it (query). It is parsed once
 * per navigation into one typed object every component reads, and written back with the defaults left
 * out, so links stay short and old links keep working (unknown parameters are ignored, bad values
 * fall back to the default).
 */
import { PERIODS, type PeriodKind, validDay } from './period.js';

/** The pages and their paths; the server answers index.html on the same list (home.route.ts). */
export const PAGES = [
  'overview',
  'goals',
  'kpis',
  'attribution',
  'funnel',
  'planning',
  'boards',
  'data',
] as const;
export type Page = (typeof PAGES)[number];
/** Pages whose path takes one segment more: an objective, a KPI, a board. */
export const PAGES_WITH_ID: readonly Page[] = ['goals', 'kpis', 'boards'];

export const BOARDS = ['sales', 'saas', 'response'] as const;
export type Board = (typeof BOARDS)[number];
export const BREAKDOWNS = ['channel', 'source', 'campaign', 'market', 'owner'] as const;
export type By = (typeof BREAKDOWNS)[number];
export const CONVERSIONS = ['lead', 'mql', 'sql', 'opportunity', 'deal_won'] as const;
export type ConversionId = (typeof CONVERSIONS)[number];

export interface View {
  page: Page;
  /** The objective (goals), KPI (kpis) or board (boards) the path names. */
  id: string | null;
  period: PeriodKind;
  /** Only for `period: custom`. */
  from: string | null;
  to: string | null;
  /** The workspace chosen in the switcher (else the session's default). */
  ws: string | null;
  /** Wall mode: large type, no navigation, auto-refresh, rotating boards. */
  wall: boolean;
  /** KPIs: breakdown and chart type. */
  by: By | null;
  chart: 'line' | 'bar';
  /** Attribution controls. */
  conversion: ConversionId;
  lookback: number | null;
  order: number;
  attrBy: 'channel' | 'campaign';
  /** Planning: the reverse funnel's revenue goal, and the target's uplift in points. */
  goal: number | null;
  uplift: number | null;
}

export const DEFAULT_VIEW: View = {
  page: 'overview',
  id: null,
  period: 'quarter',
  from: null,
  to: null,
  ws: null,
  wall: false,
  by: null,
  chart: 'line',
  conversion: 'deal_won',
  lookback: null,
  order: 1,
  attrBy: 'channel',
  goal: null,
  uplift: null,
};

const oneOf = <T extends string>(list: readonly T[], v: string | null, fallback: T): T =>
  v !== null && (list as readonly string[]).includes(v) ? (v as T) : fallback;
const intIn = (v: string | null, lo: number, hi: number): number | null => {
  if (v === null || !/^\d+$/.test(v)) return null;
  const n = Number(v);
  return n >= lo && n <= hi ? n : null;
};

/**
 * The view a URL shows.
 *
 * @example
 * parseView('/kpis/leads', '?period=year&by=channel') // { page: 'kpis', id: 'leads', period: 'year', by: 'channel', … }
 */
export function parseView(pathname: string, search: string): View {
  const q = new URLSearchParams(search);
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const page = oneOf(PAGES, parts[0] ?? 'overview', 'overview');
  const id = PAGES_WITH_ID.includes(page) ? (parts[1] ?? null) : null;
  const period = oneOf(PERIODS, q.get('period'), DEFAULT_VIEW.period);
  const from = validDay(q.get('from'));
  const to = validDay(q.get('to'));
  return {
    page,
    id: page === 'boards' ? oneOf(BOARDS, id, 'sales') : id,
    period: period === 'custom' && (!from || !to) ? DEFAULT_VIEW.period : period,
    from: period === 'custom' ? from : null,
    to: period === 'custom' ? to : null,
    ws: q.get('ws') || null,
    wall: q.get('wall') === '1',
    by: oneOf([...BREAKDOWNS, ''] as const, q.get('by'), '') || null,
    chart: q.get('chart') === 'bar' ? 'bar' : 'line',
    conversion: oneOf(CONVERSIONS, q.get('conversion'), DEFAULT_VIEW.conversion),
    lookback: intIn(q.get('lookback'), 0, 3650),
    order: intIn(q.get('order'), 1, 4) ?? 1,
    attrBy: q.get('attr_by') === 'campaign' ? 'campaign' : 'channel',
    goal: intIn(q.get('goal'), 1, 1e12),
    uplift: intIn(q.get('uplift'), 0, 100),
  };
}

/**
 * The URL of a view, defaults left out.
 *
 * @example
 * viewUrl({ ...DEFAULT_VIEW, page: 'kpis', id: 'leads', by: 'channel' }) // '/kpis/leads?by=channel'
 */
export function viewUrl(v: View): string {
  const path =
    v.page === 'overview' && !v.id
      ? '/'
      : `/${v.page}${v.id && PAGES_WITH_ID.includes(v.page) ? `/${encodeURIComponent(v.id)}` : ''}`;
  const q = new URLSearchParams();
  if (v.period !== DEFAULT_VIEW.period) q.set('period', v.period);
  if (v.period === 'custom' && v.from && v.to) {
    q.set('from', v.from);
    q.set('to', v.to);
  }
  if (v.ws) q.set('ws', v.ws);
  if (v.wall) q.set('wall', '1');
  if (v.by) q.set('by', v.by);
  if (v.chart !== 'line') q.set('chart', v.chart);
  if (v.conversion !== DEFAULT_VIEW.conversion) q.set('conversion', v.conversion);
  if (v.lookback !== null) q.set('lookback', String(v.lookback));
  if (v.order !== 1) q.set('order', String(v.order));
  if (v.attrBy !== 'channel') q.set('attr_by', v.attrBy);
  if (v.goal !== null) q.set('goal', String(v.goal));
  if (v.uplift !== null) q.set('uplift', String(v.uplift));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
