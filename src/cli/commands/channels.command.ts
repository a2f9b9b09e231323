import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../../core/errors.js';
import { channelRulesSchema } from '../../domain/workspace.js';
import { compileChannelRules, DEFAULT_CHANNELS } from '../../ingest/channels.js';
import { render } from '../format.js';
import type { Runtime } from '../runtime.js';
import { openWorkspace, pickFormat } from '../workspace.js';

/** `channels list` (the default groups) and `channels rules [--set FILE]` (the workspace's own, in order). */
export function registerChannels(program: Command, rt: Runtime): void {
  const channels = program
    .command('channels')
    .description("channel grouping: GA4's defaults and the workspace's own rules");
  channels
    .command('list')
    .description("GA4's default channel groups, applied after the workspace's rules")
    .option('--format <format>', 'table|json|csv')
    .action((o: { format?: string }) => {
      const rows = DEFAULT_CHANNELS.map((channel, i) => ({ order: i + 1, channel }));
      rt.out(render(pickFormat(rt, o.format), { channels: DEFAULT_CHANNELS }, rows));
    });
  channels
    .command('rules')
    .description(
      'show the workspace channel rules, or replace them with --set FILE (JSON or YAML list; first match wins)',
    )
    .option(
      '--set <file>',
      'a list of {channel, when: {source?, medium?, campaign?, referrer?, clickIdType?}}',
    )
    .option('--workspace <slug>', 'workspace', 'demo')
    .option('--format <format>', 'table|json|csv')
    .action(async (o: { set?: string; workspace: string; format?: string }) => {
      const { ws } = await openWorkspace(rt, o.workspace);
      if (o.set) {
        let raw: unknown;
        try {
          const text = readFileSync(o.set, 'utf8');
          raw = o.set.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
        } catch (e) {
          throw new UserError(`cannot read rules: ${(e as Error).message}`, { file: o.set });
        }
        compileChannelRules(raw); // validates, with the failing rule's path in the error
        const rules = channelRulesSchema.parse(raw);
        const before = ws.workspace.settings.channelRules;
        await ws.updateSettings({ ...ws.workspace.settings, channelRules: rules });
        await ws.audit({
          actor: 'cli',
          action: 'update',
          entity: 'channel_rules',
          entityId: ws.workspace.slug,
          before,
          after: rules,
        });
      }
      const rules = ws.workspace.settings.channelRules;
      const rows = rules.map((r, i) => ({ order: i + 1, channel: r.channel, when: JSON.stringify(r.when) }));
      rt.out(render(pickFormat(rt, o.format), { rules }, rows));
    });
}
