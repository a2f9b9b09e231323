/** Channel grouping: GA4's default groups and the workspace's own rules (`channels …`). */
import { LineCounter, parseDocument, YAMLParseError } from 'yaml';
import { isUserError, UserError } from '../core/errors.js';
import { type ChannelRule, channelRulesSchema } from '../domain/workspace.js';
import { lineOf } from '../goals/plan.yaml.js';
import { compileChannelRules, DEFAULT_CHANNELS } from '../ingest/channels.js';
import type { WorkspaceStore } from '../store/store.js';

/** GA4's default channel groups, in the order they are tried after the workspace's rules. */
export function defaultChannels(): { channels: readonly string[] } {
  return { channels: DEFAULT_CHANNELS };
}

/** The workspace's rules, first match wins. */
export function channelRules(ws: WorkspaceStore): { rules: ChannelRule[] } {
  return { rules: ws.workspace.settings.channelRules };
}

/**
 * Replaces the workspace's rules with those of a JSON or YAML list (`name` tells which: `.json` is
 * JSON, anything else YAML, which reads JSON too).
 *
 * @example
 * await setChannelRules(ws, { text: '- channel: Partners\n  when: { source: partner }\n', name: 'rules.yaml' }, 'cli');
 */
export async function setChannelRules(
  ws: WorkspaceStore,
  input: { text: string; name: string },
  actor: string,
): Promise<{ rules: ChannelRule[] }> {
  let raw: unknown;
  const lc = new LineCounter();
  const json = input.name.endsWith('.json');
  const doc = json ? null : parseDocument(input.text, { lineCounter: lc });
  try {
    if (doc?.errors[0]) throw doc.errors[0];
    raw = doc ? doc.toJS({ maxAliasCount: 100 }) : JSON.parse(input.text);
  } catch (e) {
    const line = e instanceof YAMLParseError ? e.linePos?.[0].line : undefined;
    throw new UserError(`cannot read rules: ${(e as Error).message.split('\n')[0]}`, {
      file: input.name,
      ...(line === undefined ? {} : { line }),
    });
  }
  try {
    compileChannelRules(raw); // validates, with the failing rule's path in the error
  } catch (e) {
    // The rule's path becomes its line in the file, so an editor can point at it.
    const field = isUserError(e) ? e.where.field : undefined;
    if (!doc || !field || !isUserError(e)) throw e;
    const path = [...field.replace(/^rules/, '').matchAll(/\[(\d+)\]|\.([^.[]+)/g)].map((m) =>
      m[1] !== undefined ? Number(m[1]) : String(m[2]),
    );
    const line = lineOf(doc, path, lc);
    throw new UserError(e.message, { file: input.name, field, ...(line === null ? {} : { line }) });
  }
  const rules = channelRulesSchema.parse(raw);
  const before = ws.workspace.settings.channelRules;
  await ws.updateSettings({ ...ws.workspace.settings, channelRules: rules });
  await ws.audit({
    actor,
    action: 'update',
    entity: 'channel_rules',
    entityId: ws.workspace.slug,
    before,
    after: rules,
  });
  return { rules };
}
