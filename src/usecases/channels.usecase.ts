/** Channel grouping: GA4's default groups and the workspace's own rules (`channels …`). */
import { parse as parseYaml } from 'yaml';
import { UserError } from '../core/errors.js';
import { type ChannelRule, channelRulesSchema } from '../domain/workspace.js';
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
  try {
    raw = input.name.endsWith('.json') ? JSON.parse(input.text) : parseYaml(input.text);
  } catch (e) {
    throw new UserError(`cannot read rules: ${(e as Error).message}`, { file: input.name });
  }
  compileChannelRules(raw); // validates, with the failing rule's path in the error
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
