/**
 * `score explain`: one contact's scores under every model, rule by rule, and its stage history (the
 * CRM's changes and scoring's, with the score at each automatic move).
 */
import { NotFoundError } from '../core/errors.js';
import type { ContactRow } from '../domain/crm.js';
import type { WorkspaceStore } from '../store/store.js';
import { loadContacts, loadHits, requireRules } from './recompute.js';
import { behaviourScore, fitMatches, round2 } from './score.math.js';

export interface Explanation {
  contact: { id: string; email: string | null; stage: string | null };
  as_of: string;
  models: Array<{
    model: string;
    lifecycle: boolean;
    thresholds: { mql: number; sql: number };
    fit: number;
    behaviour: number;
    score: number;
    rules: Array<{ rule: string; kind: 'fit' | 'behaviour'; points: number; events?: number; why: string }>;
  }>;
  /** Stage history rows (source `history`: the CRM, imports, identify) and scoring's lifecycle changes (`score`, `crm`). */
  history: Array<{ stage: string; at: string; source: string; reason: string; score: number | null }>;
}

/** The contact a CLI or API argument names: an id, or an e-mail address. */
export async function findContact(ws: WorkspaceStore, key: string): Promise<ContactRow> {
  const c = key.includes('@') ? await ws.findContactByEmail(key) : await ws.getContact(key);
  if (!c) throw new NotFoundError(`contact "${key}" (by ${key.includes('@') ? 'e-mail' : 'id'})`);
  return c;
}

/**
 * Explains a contact's scores as of `asOf` (default now).
 *
 * @example
 * const e = await explainContact(ws, 'ana@example.com');
 * // e.models[0].rules → [{ rule: 'senior-title', kind: 'fit', points: 10, why: 'job_title "CMO" matches …' }, …]
 */
export async function explainContact(
  ws: WorkspaceStore,
  key: string,
  asOf = new Date(),
): Promise<Explanation> {
  const contact = await findContact(ws, key);
  const rules = await requireRules(ws);
  const restrict = { kind: 'contact', id: contact.id } as const;
  const [states, { byContact }] = await Promise.all([
    loadContacts(ws, rules, restrict),
    loadHits(ws, rules, restrict),
  ]);
  const state = states[0];
  const fields = state?.fit ?? {};
  const models = rules.models.map((m, mi) => {
    const fitRules = m.fit
      .filter((r) => fitMatches(r, fields))
      .map((r) => ({
        rule: r.id,
        kind: 'fit' as const,
        points: r.points,
        why: `${r.field} "${String(fields[r.field])}" ${r.in ? `is one of ${r.in.join(', ')}` : r.matches !== undefined ? `matches /${r.matches}/i` : `is between ${r.between?.[0]} and ${r.between?.[1]}`}`,
      }));
    const b = behaviourScore(m.behaviour, byContact.get(contact.id)?.[mi] ?? [], asOf.getTime());
    const behaviourRules = b.rules.map((r) => {
      const def = m.behaviour.find((x) => x.id === r.id);
      const what = def?.event
        ? `event ${def.event.join(' | ')}`
        : def?.page
          ? `page ${def.page.join(' | ')}`
          : `e-mail ${def?.email?.join(' | ')}`;
      const extras = [
        def?.once ? 'once' : null,
        def?.cap !== undefined ? `cap ${def.cap}` : null,
        def?.halfLifeDays !== undefined ? `half-life ${def.halfLifeDays} days` : null,
      ].filter(Boolean);
      return {
        rule: r.id,
        kind: 'behaviour' as const,
        points: round2(r.points),
        events: r.events,
        why: `${r.events} × ${what} at ${def?.points} points${extras.length ? ` (${extras.join(', ')})` : ''}`,
      };
    });
    const fit = fitRules.reduce((s, r) => s + r.points, 0);
    return {
      model: m.id,
      lifecycle: m.lifecycle,
      thresholds: m.thresholds,
      fit: round2(fit),
      behaviour: round2(b.total),
      score: round2(fit + b.total),
      rules: [...fitRules, ...behaviourRules],
    };
  });
  const history = await ws.query<{
    stage: string;
    changed_at: Date;
    source: string;
    reason: string;
    score: number | null;
  }>(
    `SELECT stage, changed_at, 'history' AS source, reason,
       ${ws.dialect.nullOf('double')} AS score
     FROM @contact_stage_history WHERE contact_id = $id AND reason NOT LIKE 'score:%'
     UNION ALL
     SELECT stage, changed_at, source, reason, score FROM @lifecycle_changes WHERE contact_id = $id
     ORDER BY changed_at, stage`,
    { id: contact.id },
  );
  return {
    contact: { id: contact.id, email: contact.email, stage: contact.lifecycleStage },
    as_of: asOf.toISOString(),
    models,
    history: history.map((h) => ({
      stage: h.stage,
      at: h.changed_at.toISOString(),
      source: h.source,
      reason: h.reason,
      score: h.score,
    })),
  };
}
