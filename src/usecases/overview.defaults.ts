/**
 * What the dashboard's overview asks for when a user opens it, in one place for the page
 * (web/pages/overview.tsx) and the server's warm-up after a start (server/warm.job.ts): the headline
 * KPI tiles, the sparkline points, and the default period, this quarter through today in the
 * workspace's calendar (web/lib/period.ts, `quarter`; a test holds the two equal).
 */
export const OVERVIEW_HEADLINE = ['revenue', 'leads', 'sessions', 'ad_spend', 'cac', 'roi'] as const;
export const OVERVIEW_SPARK_POINTS = 6;

/**
 * This quarter through `today` (`YYYY-MM-DD`).
 *
 * @example
 * quarterToDate('2026-11-30'); // { from: '2026-10-01', to: '2026-11-30' }
 */
export function quarterToDate(today: string): { from: string; to: string } {
  const month = Number(today.slice(5, 7));
  const first = Math.floor((month - 1) / 3) * 3 + 1;
  return { from: `${today.slice(0, 4)}-${String(first).padStart(2, '0')}-01`, to: today };
}
