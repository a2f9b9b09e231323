import type { FastifyInstance } from 'fastify';
import { NO_TOUCH } from '../../attribution/journeys.js';
import { attributeWorkspace } from '../../attribution/workspace.attribution.js';
import { describeLookback } from '../../attribution/workspace.lookback.js';
import { addDays, today } from '../../core/time.js';
import { goalsStatus } from '../../goals/status.js';
import { runKpis } from '../../metrics/kpi.query.js';
import { periodStart } from '../../metrics/periods.js';
import type { Store, WorkspaceStore } from '../../store/store.js';

const esc = (s: unknown) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function money(v: number | null, cur: string): string {
  return v === null
    ? '–'
    : new Intl.NumberFormat('en-US', { style: 'currency', currency: cur, maximumFractionDigits: 0 }).format(
        v,
      );
}
function num(v: number | null, digits = 0): string {
  return v === null
    ? '–'
    : v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** The last complete calendar quarter before `day`. */
function lastQuarter(day: string): { from: string; to: string } {
  const to = addDays(periodStart(day, 'quarter'), -1);
  return { from: periodStart(to, 'quarter'), to };
}

type Credited = Awaited<ReturnType<typeof attributeWorkspace>>;

/**
 * The channel table: visits by session channel, leads by original source, and won deals, revenue,
 * ad spend and ROI as first-touch attribution credits them (with its look-back and `(none)` row),
 * so it never contradicts `northstar attribution --model first_touch` over the same 12 months.
 */
function channelTable(
  byChannel: Awaited<ReturnType<typeof runKpis>>,
  credited: Credited,
  cur: string,
): string {
  const kpi = (i: number, ch: string) => byChannel[i]?.rows.find((x) => x.channel === ch)?.value ?? 0;
  const row = (ch: string) => credited.rows.find((x) => x.channel === ch);
  const channels = [
    ...new Set([
      ...byChannel.flatMap((r) => r.rows.map((x) => x.channel ?? '')),
      ...credited.rows.map((x) => String(x.channel)),
    ]),
  ].filter((c) => c !== NO_TOUCH && c !== '');
  channels.sort((a, b) => (row(b)?.value ?? 0) - (row(a)?.value ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
  const none = row(NO_TOUCH);
  const pct = (x: number | null) => (x === null ? '–' : `${num(x * 100, Math.abs(x) < 0.1 ? 1 : 0)} %`);
  const line = (ch: string, label = ch) => {
    const r = row(ch);
    return `<tr><td>${esc(label)}</td><td>${num(kpi(0, ch))}</td><td>${num(kpi(1, ch))}</td><td>${num(r?.conversions ?? 0, Number.isInteger(r?.conversions ?? 0) ? 0 : 1)}</td><td>${money(r?.value ?? 0, cur)}</td><td>${money(r?.spend ?? 0, cur)}</td><td>${pct(r?.roi ?? null)}</td></tr>`;
  };
  const spend = credited.rows.reduce((t, x) => t + x.spend, 0);
  const lookback = describeLookback(
    { days: credited.lookback, basis: credited.lookback_basis, sales_cycle: credited.sales_cycle },
    'deal_won',
  );
  return `<div class="scroll"><table><tr><th>Channel</th><th>Visits</th><th>Leads</th><th>Won deals</th><th>Revenue</th><th>Ad spend</th><th>ROI</th></tr>
  ${channels.map((ch) => line(ch)).join('')}${none ? line(NO_TOUCH, '(none): no touch in the look-back') : ''}
  <tr><th>Total</th><th></th><th></th><th>${num(credited.total_conversions)}</th><th>${money(credited.total_value, cur)}</th><th>${money(spend, cur)}</th><th>${pct(spend > 0 ? (credited.total_value - spend) / spend : null)}</th></tr>
  </table></div>
  <p class="muted">Visits by the session's channel; leads by original source (first visit, else the CRM's original source).
  Won deals and revenue: deals closed in these 12 months, credited by <b>first-touch attribution</b>, ${esc(lookback)} —
  the figures of <code>northstar attribution --model first_touch</code>; other models: <code>--model all</code>.
  ${esc(pct(credited.none.value_share))} of revenue is credited to (none). ROI = (revenue − ad spend) / ad spend.</p>`;
}

async function overview(ws: WorkspaceStore): Promise<string> {
  const cur = ws.workspace.currency;
  const day = today(ws.workspace.timezone);
  const q = lastQuarter(day);
  const ids = [
    'revenue',
    'leads',
    'sessions',
    'value_per_lead',
    'value_per_visit',
    'ad_spend',
    'cac',
    'roi',
  ] as const;
  const year = { from: addDays(day, -364), to: day };
  const [headline, byChannel, credited, status, goals] = await Promise.all([
    runKpis(ws, ids, q),
    runKpis(ws, ['sessions', 'leads'], { ...year, by: 'channel' }),
    // The channel table's money is attribution's, so the page and `northstar attribution` agree.
    attributeWorkspace(ws, 'first_touch', year),
    goalsStatus(ws, day),
    ws.listGoals(),
  ]);
  const v = Object.fromEntries(ids.map((id, i) => [id, headline[i]?.rows[0]?.value ?? null])) as Record<
    (typeof ids)[number],
    number | null
  >;
  const table = channelTable(byChannel, credited, cur);
  const measured = new Map(status.objectives.map((o) => [o.id, o]));
  const depth = new Map<string, number>();
  for (const g of goals) depth.set(g.id, g.parentId ? (depth.get(g.parentId) ?? 0) + 1 : 0);
  const cards: Array<[string, string]> = [
    ['Revenue', money(v.revenue, cur)],
    ['Leads', num(v.leads)],
    ['Visits', num(v.sessions)],
    ['Value per lead', money(v.value_per_lead, cur)],
    ['Value per visit', money(v.value_per_visit, cur)],
    ['Ad spend', money(v.ad_spend, cur)],
    ['CAC', money(v.cac, cur)],
    ['ROI', v.roi === null ? '–' : `${num(v.roi * 100, 0)} %`],
  ];
  const objective = (
    id: string,
    spec: { kpi?: string; target?: unknown; due?: string },
    owner: string | null,
  ) => {
    const m = measured.get(id);
    const amount = (x: number | null) =>
      x === null ? '–' : num(x, Number.isInteger(x) || Math.abs(x) >= 100 ? 0 : 2);
    const pct = m?.progress == null ? 0 : Math.max(0, Math.min(1, m.progress));
    const bar = m
      ? ` <span class="bar" title="progress ${Math.round(pct * 100)} %"><span style="width:${Math.round(pct * 100)}%"></span></span> <span class="st ${esc(m.status)}">${esc(m.status.replace('_', ' '))}</span>`
      : '';
    const numbers = m ? `${amount(m.actual)} of ${amount(m.target)}` : `→ ${esc(spec.target)}`;
    return `${bar} <span class="muted">${esc(spec.kpi)} ${numbers} by ${esc(spec.due)} · ${esc(owner)}</span>`;
  };
  return `<section><h2>${esc(ws.workspace.name)} · last quarter (${q.from} – ${q.to})</h2>
  <div class="cards">${cards.map(([k, x]) => `<div class="card"><div class="k">${esc(k)}</div><div class="v">${esc(x)}</div></div>`).join('')}</div>
  <h3>Channels, last 12 months (${year.from} – ${year.to})</h3>
  ${table}
  <h3>Goals and objectives, as of ${day}</h3>
  <ul class="tree">${goals
    .map((g) => {
      const detail =
        g.kind === 'objective'
          ? objective(g.id, g.spec as { kpi?: string; target?: unknown; due?: string }, g.owner)
          : '';
      return `<li style="margin-left:${(depth.get(g.id) ?? 0) * 1.5}em"><b>${esc(g.title)}</b>${detail}</li>`;
    })
    .join('')}</ul></section>`;
}

export function homeRoutes(store: Store) {
  return async (app: FastifyInstance): Promise<void> => {
    // Signed out, the access hook answers the sign-in form instead (signin.page.ts).
    app.get('/', { config: { access: 'viewer', signInPage: true } }, async (req, reply) => {
      const w = req.access.workspace;
      const body = await overview(store.forWorkspace(w));
      reply.type('text/html; charset=utf-8');
      return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Northstar</title><style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2433;background:#f6f7fb}header{background:#1d2433;color:#fff;padding:12px 24px}
main{padding:16px 24px;max-width:1100px}.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:12px}
.card{background:#fff;border-radius:8px;padding:12px;box-shadow:0 1px 2px #0002}.k{color:#667;font-size:13px}.v{font-size:22px;font-weight:600}
table{border-collapse:collapse;background:#fff}.scroll{overflow-x:auto;max-width:100%}td,th{padding:4px 12px;text-align:right;border-bottom:1px solid #eee}td:first-child,th:first-child{text-align:left}
.tree{list-style:none;padding:0}.tree li{margin:3px 0}.bar{display:inline-block;width:90px;height:8px;background:#dde;border-radius:4px;vertical-align:middle;overflow:hidden}
.bar span{display:block;height:100%;background:#3b6fd8}.st{font-size:12px;padding:1px 6px;border-radius:8px;background:#eee}.on_track,.done{background:#d7f2df}.at_risk{background:#fbeccb}.off_track{background:#f8d6d6}.muted{color:#778;font-size:13px}code{background:#eef}</style></head>
<body><header><b>Northstar</b> · goals, KPIs and attribution from your own data</header><main>
<p>Workspace ${esc(w.slug)} (another: <code>/?workspace=SLUG</code>) · JSON API under <code>/api/v1</code> (read key) · tracking under <code>/v1</code> · health <a href="/api/health">/api/health</a></p>
${body}</main></body></html>`;
    });
  };
}
