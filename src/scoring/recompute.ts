/**
 * Scores every contact (or those with new events) under every model of the workspace's rules, moves
 * leads forward where the lifecycle model's thresholds are crossed, and stores it all. The events
 * are matched to rules in one SQL scan (hits.sql.ts); the arithmetic is pure (score.math.ts,
 * lifecycle.ts).
 */
import { UserError } from '../core/errors.js';
import type { LifecycleStage } from '../domain/crm.js';
import type { ContactScoreRow, LifecycleChangeRow, ScoringRules, StageMove } from '../domain/scoring.js';
import type { SqlDialect } from '../store/dialect.js';
import { idsSql } from '../store/identity.sql.js';
import type { WorkspaceStore } from '../store/store.js';
import { hitsQuery, type Restrict, restrictParams, restrictSql } from './hits.sql.js';
import { replay } from './lifecycle.js';
import { BehaviourState, type FitContact, fitScore, type Hit, round2 } from './score.math.js';

export interface RecomputeOptions {
  restrict?: Restrict;
  /** Score as of this instant (default now); later events are ignored. */
  asOf?: Date;
  /** Told how many contacts are done of how many (0 of N once the events are read). */
  onProgress?: (done: number, total: number) => void;
}

export interface RecomputeResult {
  contacts: number;
  models: number;
  /** Scored events (an event counts once per rule it matches). */
  hits: number;
  mqls: number;
  sqls: number;
  /** CRM stage changes found after an automatic move (recorded, and they win). */
  crmOverrides: number;
  seconds: number;
}

/** The workspace's rules, or a UserError saying how to load some. */
export async function requireRules(ws: WorkspaceStore): Promise<ScoringRules> {
  const stored = await ws.getScoringRules();
  if (!stored)
    throw new UserError(
      'this workspace has no scoring rules yet: load some with `northstar score rules apply FILE`',
    );
  return stored.rules;
}

interface ContactState {
  id: string;
  fit: FitContact;
  stage: LifecycleStage;
  since: number;
  lastSource: string | null;
  lastStage: string | null;
}

/** Orders lifecycle changes: by time, then by stage (MQL and SQL reached at the same instant: SQL last). */
const lastChange = (d: SqlDialect) =>
  `${d.epochMs('changed_at')} * 10 + ${d.listPosition(
    d.list(['subscriber', 'lead', 'mql', 'sal', 'sql', 'opportunity', 'customer'].map((s) => `'${s}'`)),
    'stage',
  )}`;

/** Reads the contacts to score with what fit rules and the lifecycle need. */
export async function loadContacts(
  ws: WorkspaceStore,
  rules: ScoringRules,
  restrict: Restrict,
): Promise<ContactState[]> {
  const lifecycle = rules.models.find((m) => m.lifecycle)?.id ?? '';
  const needProps = rules.models.some((m) => m.fit.some((r) => r.field.startsWith('properties.')));
  const keep = restrictSql(restrict);
  const d = ws.dialect;
  const rows = await ws.query(
    `WITH ${restrict.kind === 'since' ? `${d.cte('ids', idsSql(d), true)},` : ''}
     ${keep ? `${d.cte('keep', keep, true)},` : ''}
     hist AS (SELECT contact_id, max(changed_at) AS last_change FROM @contact_stage_history GROUP BY 1),
     lc AS (SELECT contact_id, ${d.argMax('source', lastChange(d))} AS source, ${d.argMax('stage', lastChange(d))} AS stage
            FROM @lifecycle_changes WHERE model = $lifecycle GROUP BY 1)
     SELECT c.id, c.industry, c.job_title, c.company_size, c.country, c.market, c.company, c.email,
       c.original_source, c.owner, ${needProps ? 'c.properties' : 'NULL AS properties'}, c.lifecycle_stage,
       ${d.epochMs('greatest(coalesce(c.lead_at, c.created_at), coalesce(hist.last_change, c.created_at))')} AS since,
       lc.source AS last_source, lc.stage AS last_stage
     FROM @contacts c LEFT JOIN hist ON hist.contact_id = c.id LEFT JOIN lc ON lc.contact_id = c.id
     ${keep ? 'JOIN keep k ON k.cid = c.id' : ''}`,
    { ...restrictParams(restrict), lifecycle },
  );
  return rows.map((r) => {
    const email = (r.email as string | null) ?? null;
    const fit: Record<string, unknown> = {
      industry: r.industry,
      job_title: r.job_title,
      company_size: r.company_size,
      country: r.country,
      market: r.market,
      company: r.company,
      email_domain: email?.includes('@') ? email.slice(email.indexOf('@') + 1).toLowerCase() : null,
      original_source: r.original_source,
      owner: r.owner,
    };
    if (r.properties != null)
      for (const [k, v] of Object.entries(JSON.parse(String(r.properties)) as Record<string, unknown>))
        fit[`properties.${k}`] = v;
    return {
      id: String(r.id),
      fit,
      stage: r.lifecycle_stage as LifecycleStage,
      since: Number(r.since),
      lastSource: (r.last_source as string | null) ?? null,
      lastStage: (r.last_stage as string | null) ?? null,
    };
  });
}

/** Every scored event, grouped by contact: per contact, its hits per model (sorted by time). */
export async function loadHits(
  ws: WorkspaceStore,
  rules: ScoringRules,
  restrict: Restrict,
): Promise<{ byContact: Map<string, Hit[][]>; count: number }> {
  const q = hitsQuery(rules, restrict, ws.dialect);
  const byContact = new Map<string, Hit[][]>();
  if (!q) return { byContact, count: 0 };
  const rows = await ws.query<{ cid: string; t: number; r: number }>(q.sql, q.params);
  for (const row of rows) {
    const ref = q.refs[row.r];
    if (!ref) continue;
    let per = byContact.get(row.cid);
    if (!per) {
      per = rules.models.map(() => []);
      byContact.set(row.cid, per);
    }
    per[ref.model]?.push({ rule: ref.rule, at: Number(row.t) });
  }
  return { byContact, count: rows.length };
}

const CHUNK = 25_000;

/**
 * Recomputes and stores scores, and makes the lifecycle model's stage moves.
 *
 * @example
 * const res = await recomputeScores(ws, { onProgress: (d, n) => bar.update(d) });
 * // { contacts: 1200, models: 2, hits: 35210, mqls: 14, sqls: 3, crmOverrides: 0, seconds: 0.4 }
 */
export async function recomputeScores(
  ws: WorkspaceStore,
  opts: RecomputeOptions = {},
): Promise<RecomputeResult> {
  const started = Date.now();
  const rules = await requireRules(ws);
  const restrict = opts.restrict ?? { kind: 'all' };
  const asOf = (opts.asOf ?? new Date()).getTime();
  // Restricted, the contacts come first: no one to rescore (an anonymous-only stretch) costs one query.
  const [contacts, { byContact, count }] =
    restrict.kind === 'all'
      ? await Promise.all([loadContacts(ws, rules, restrict), loadHits(ws, rules, restrict)])
      : await loadContacts(ws, rules, restrict).then(
          async (cs) =>
            [
              cs,
              cs.length
                ? await loadHits(ws, rules, restrict)
                : { byContact: new Map<string, Hit[][]>(), count: 0 },
            ] as const,
        );
  opts.onProgress?.(0, contacts.length);
  const computedAt = new Date(asOf);
  let scores: ContactScoreRow[] = [];
  let changes: LifecycleChangeRow[] = [];
  let moves: StageMove[] = [];
  const res = { mqls: 0, sqls: 0, crmOverrides: 0 };
  const flush = async (done: number) => {
    await ws.writeScores(scores, changes, moves);
    scores = [];
    changes = [];
    moves = [];
    opts.onProgress?.(done, contacts.length);
  };
  const none: Hit[] = [];
  for (let i = 0; i < contacts.length; i++) {
    const c = contacts[i] as ContactState;
    const hits = byContact.get(c.id);
    rules.models.forEach((m, mi) => {
      const fit = fitScore(m, c.fit).total;
      const mine = hits?.[mi] ?? none;
      let behaviour: number;
      if (m.lifecycle) {
        // An automatic move the stored stage no longer shows was overridden by the CRM: record it once.
        const overridden = c.lastSource === 'score' && c.lastStage !== c.stage;
        if (overridden) {
          res.crmOverrides++;
          changes.push({
            contactId: c.id,
            model: m.id,
            stage: c.stage,
            at: computedAt,
            score: null,
            fit: null,
            behaviour: null,
            source: 'crm',
            reason: `crm: stage ${c.stage} after scoring had set ${c.lastStage}`,
          });
        }
        const out = replay(m, fit, mine, {
          stage: c.stage,
          since: c.since,
          atSince: !(overridden || c.lastSource === 'crm'),
          asOf,
        });
        behaviour = out.behaviour;
        for (const mv of out.moves) {
          if (mv.stage === 'mql') res.mqls++;
          else res.sqls++;
          const at = new Date(mv.at);
          const reason = `score:${m.id} ${round2(mv.score)} >= ${m.thresholds[mv.stage]}`;
          moves.push({ contactId: c.id, stage: mv.stage, at, reason });
          changes.push({
            contactId: c.id,
            model: m.id,
            stage: mv.stage,
            at,
            score: round2(mv.score),
            fit: round2(mv.fit),
            behaviour: round2(mv.behaviour),
            source: 'score',
            reason,
          });
        }
      } else {
        const st = new BehaviourState(m.behaviour);
        for (const h of mine) if (h.at <= asOf) st.add(h.rule, h.at);
        behaviour = st.total(asOf);
      }
      scores.push({
        contactId: c.id,
        model: m.id,
        fit: round2(fit),
        behaviour: round2(behaviour),
        score: round2(fit + behaviour),
        computedAt,
      });
    });
    if ((i + 1) % CHUNK === 0) await flush(i + 1);
    // In a server this runs beside request handling: give the event loop a turn now and then.
    else if ((i + 1) % 2000 === 0) await new Promise((r) => setImmediate(r));
  }
  await flush(contacts.length);
  return {
    contacts: contacts.length,
    models: rules.models.length,
    hits: count,
    ...res,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}
