/** Loading, checking and exporting a workspace's scoring rules (CLI and API share these). */
import type { ScoringRules } from '../domain/scoring.js';
import type { WorkspaceStore } from '../store/store.js';
import { parseRules, rulesToYaml } from './rules.yaml.js';

/**
 * Event names a behaviour rule may use: every tracked event the workspace has received, plus the
 * key events its settings name (so rules can be written before the first such event arrives).
 */
export async function knownEvents(ws: WorkspaceStore): Promise<Set<string>> {
  const rows = await ws.query<{ event: string }>(
    `SELECT DISTINCT event FROM @events WHERE type = 'track' AND event IS NOT NULL`,
  );
  const names = new Set(rows.map((r) => r.event));
  for (const list of Object.values(ws.workspace.settings.keyEvents)) for (const n of list) names.add(n);
  return names;
}

/**
 * Checks a rules file against the workspace (unknown events are errors); throws a PlanFileError
 * listing every problem with its line.
 *
 * @example
 * await lintRulesText(ws, readFileSync('scoring.yaml', 'utf8'), 'scoring.yaml');
 */
export async function lintRulesText(ws: WorkspaceStore, text: string, file: string): Promise<ScoringRules> {
  return parseRules(text, file, await knownEvents(ws));
}

/**
 * Checks and stores a rules file; nothing is stored when it has any problem. Scores are not
 * recomputed here (`score recompute`, or the server's scoring job, does that).
 *
 * @example
 * await applyRulesText(ws, text, 'scoring.yaml', 'cli'); // { changed: true, models: ['demand'] }
 */
export async function applyRulesText(
  ws: WorkspaceStore,
  text: string,
  file: string,
  actor: string,
): Promise<{ changed: boolean; models: string[] }> {
  const rules = await lintRulesText(ws, text, file);
  const before = await ws.getScoringRules();
  const changed = JSON.stringify(before?.rules ?? null) !== JSON.stringify(rules);
  if (changed || before?.yaml !== text) await ws.putScoringRules(text, rules);
  if (changed)
    await ws.audit({
      actor,
      action: before ? 'update' : 'create',
      entity: 'scoring_rules',
      entityId: 'rules',
      before: before?.rules ?? null,
      after: rules,
    });
  return { changed, models: rules.models.map((m) => m.id) };
}

/** The stored rules as YAML: the file as applied (comments kept), or generated from the rules. */
export async function exportRules(ws: WorkspaceStore): Promise<string | null> {
  const stored = await ws.getScoringRules();
  if (!stored) return null;
  return stored.yaml.trim() ? stored.yaml : rulesToYaml(stored.rules);
}
