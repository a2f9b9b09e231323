/**
 * Alerts when an objective turns at risk or off track. The last status of every objective is kept in
 * the audit log (action `status`); a change is recorded there, and a change *to* at_risk or off_track
 * is POSTed to the workspace's webhooks as JSON with a Slack-compatible `text` field. Delivery runs in
 * the background with retries and exponential backoff, and never throws into its caller.
 */
import { type Log, stderrLog } from '../core/log.js';
import type { WorkspaceStore } from '../store/store.js';
import type { Status } from './pacing.js';
import type { ObjectiveStatus } from './status.js';
import { formatValue } from './value.format.js';

export const ALERT_STATUSES: readonly Status[] = ['at_risk', 'off_track'];

export interface DeliveryOptions {
  /** Attempts per URL, the first included. */
  tries?: number;
  /** Wait before the second attempt; doubles for each further one. */
  baseDelayMs?: number;
  /** Per attempt. */
  timeoutMs?: number;
  /** Hears every alert that could not be delivered (nobody awaits a delivery); stderr by default. */
  log?: Log;
}

export interface DeliveryReport {
  url: string;
  ok: boolean;
  attempts: number;
  /** HTTP status of the last attempt, or the network error. */
  last: number | string;
}

export interface AlertPayload {
  text: string;
  workspace: string;
  objective: { id: string; title: string; owner: string | null; kpi: string };
  status: Status;
  previous_status: Status | null;
  as_of: string;
  target: number | null;
  actual: number | null;
  expected: number | null;
  forecast: number | null;
  progress: number | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * POSTs a JSON payload to one URL: up to `tries` attempts, waiting baseDelayMs, 2×, 4×… between them.
 * A 2xx is delivered; a 4xx other than 408/429 is final (the receiver refuses it, retrying won't help).
 * Never rejects.
 *
 * @example
 * await postWithRetry('https://hooks.slack.com/services/…', { text: 'hi' }); // { ok: true, attempts: 1, last: 200 }
 */
export async function postWithRetry(
  url: string,
  payload: unknown,
  opts: DeliveryOptions = {},
): Promise<DeliveryReport> {
  const tries = opts.tries ?? 3;
  const base = opts.baseDelayMs ?? 500;
  let last: number | string = 'not sent';
  for (let attempt = 1; attempt <= tries; attempt++) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 5_000),
      });
      // Read to free the connection; the status already says whether it was delivered.
      await res.arrayBuffer().catch(() => undefined);
      last = res.status;
      if (res.ok) return { url, ok: true, attempts: attempt, last };
      if (res.status < 500 && res.status !== 408 && res.status !== 429)
        return { url, ok: false, attempts: attempt, last };
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    if (attempt < tries) await sleep(base * 2 ** (attempt - 1));
  }
  return { url, ok: false, attempts: tries, last };
}

/**
 * Sends one payload to every URL in parallel; resolves with a report per URL and never rejects, so a
 * failing webhook cannot hold up or break anything else.
 */
export function deliver(
  urls: readonly string[],
  payload: unknown,
  opts: DeliveryOptions = {},
): Promise<DeliveryReport[]> {
  // postWithRetry never rejects (its every step is inside its try), so neither does this.
  return Promise.all(urls.map((u) => postWithRetry(u, payload, opts)));
}

/** A webhook's URL without its path: a Slack webhook's path is its secret. */
function webhookOrigin(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '(not a URL)';
  }
}

const LABEL: Record<Status, string> = {
  on_track: 'on track',
  at_risk: 'at risk',
  off_track: 'off track',
  done: 'done',
  not_started: 'not started',
};

/**
 * The message a person reads in Slack.
 *
 * @example
 * alertText(row, 'on_track', 'USD');
 * // '⚠️ "Leads per quarter" (leads-q4, owner ana@example.com) is now at risk (was on track): leads 1,000 so far,
 * //  1,200 expected by 2026-11-05; forecast 2,500 by 2026-12-31 against a target of 3,000.'
 */
export function alertText(
  o: ObjectiveStatus,
  previous: Status | null,
  currency: string,
  asOf: string,
): string {
  const f = (v: number | null) => formatValue(v, o.unit, currency);
  const icon = o.status === 'off_track' ? '🔴' : '⚠️';
  const was = previous ? ` (was ${LABEL[previous]})` : '';
  const numbers =
    o.actual === null
      ? (o.note ?? 'no value yet')
      : `${o.kpi} ${f(o.actual)} so far, ${f(o.expected)} expected by ${asOf}; forecast ${f(o.forecast)} by ${o.due} against a target of ${f(o.target)}`;
  return `${icon} "${o.title}" (${o.id}, owner ${o.owner ?? 'nobody'}) is now ${LABEL[o.status]}${was}: ${numbers}.`;
}

/** The last recorded status of every objective (from the audit log). */
export async function lastStatuses(ws: WorkspaceStore): Promise<Map<string, Status>> {
  const d = ws.dialect;
  const rows = await ws.query<{ id: string; after: string }>(
    `SELECT entity_id AS id, ${d.cast(d.argMax('"after"', 'created_at'), 'varchar')} AS "after"
     FROM @audit_log WHERE action = 'status' AND entity = 'objective' GROUP BY entity_id`,
  );
  const out = new Map<string, Status>();
  for (const r of rows) {
    try {
      const s = (JSON.parse(r.after) as { status?: Status }).status;
      if (s) out.set(r.id, s);
    } catch {
      // A malformed entry only means we cannot compare with it: treat as never seen.
    }
  }
  return out;
}

/** Serialises status recording per workspace, so two requests at once cannot both alert one change. */
const locks = new Map<string, Promise<unknown>>();

export interface RecordResult {
  changes: Array<{ id: string; from: Status | null; to: Status }>;
  /** Resolves when every alert of this run is delivered or given up on; never rejects. */
  delivery: Promise<DeliveryReport[]>;
}

/**
 * Compares statuses with the last recorded ones, records every change in the audit log, and alerts the
 * workspace's webhooks about each change to at_risk or off_track (not awaited: see `delivery`).
 *
 * @example
 * const { changes, delivery } = await recordStatuses(ws, report.objectives, report.as_of);
 * // changes: [{ id: 'leads-q4', from: 'on_track', to: 'at_risk' }]; one POST per webhook URL
 */
export async function recordStatuses(
  ws: WorkspaceStore,
  objectives: readonly ObjectiveStatus[],
  asOf: string,
  opts: DeliveryOptions = {},
): Promise<RecordResult> {
  const key = ws.workspace.id;
  const run = (locks.get(key) ?? Promise.resolve()).then(() => recordLocked(ws, objectives, asOf, opts));
  const settled = run.catch(() => undefined);
  locks.set(key, settled);
  void settled.then(() => {
    if (locks.get(key) === settled) locks.delete(key);
  });
  return run;
}

async function recordLocked(
  ws: WorkspaceStore,
  objectives: readonly ObjectiveStatus[],
  asOf: string,
  opts: DeliveryOptions,
): Promise<RecordResult> {
  const last = await lastStatuses(ws);
  const changes: RecordResult['changes'] = [];
  const sends: Array<Promise<DeliveryReport[]>> = [];
  const urls = ws.workspace.settings.webhooks ?? [];
  for (const o of objectives) {
    const prev = last.get(o.id) ?? null;
    if (prev === o.status) continue;
    changes.push({ id: o.id, from: prev, to: o.status });
    await ws.audit({
      actor: 'system',
      action: 'status',
      entity: 'objective',
      entityId: o.id,
      before: prev === null ? null : { status: prev },
      after: { status: o.status, as_of: asOf, progress: o.progress, actual: o.actual, expected: o.expected },
    });
    if (!ALERT_STATUSES.includes(o.status) || urls.length === 0) continue;
    const payload: AlertPayload = {
      text: alertText(o, prev, ws.workspace.currency, asOf),
      workspace: ws.workspace.slug,
      objective: { id: o.id, title: o.title, owner: o.owner, kpi: o.kpi },
      status: o.status,
      previous_status: prev,
      as_of: asOf,
      target: o.target,
      actual: o.actual,
      expected: o.expected,
      forecast: o.forecast,
      progress: o.progress,
    };
    const log = opts.log ?? stderrLog;
    const context = { workspace: ws.workspace.slug, objective: o.id, status: o.status };
    sends.push(
      deliver(urls, payload, opts).then((reports) => {
        for (const r of reports)
          if (!r.ok)
            log.error(
              { ...context, webhook: webhookOrigin(r.url), attempts: r.attempts, last: r.last },
              'an alert could not be delivered',
            );
        return reports;
      }),
    );
  }
  const delivery = Promise.all(sends).then((r) => r.flat());
  return { changes, delivery };
}
