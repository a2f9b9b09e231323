import type { Command } from 'commander';
import { channelRules, defaultChannels, setChannelRules } from '../../usecases/channels.usecase.js';
import { onWorkspace } from '../backend.js';
import { render } from '../format.js';
import { inputName, readTextInput } from '../plan.files.js';
import type { Runtime } from '../runtime.js';
import { pickFormat } from '../workspace.js';

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
      // The same list in every workspace and version: no database, no server.
      const r = defaultChannels();
      const rows = r.channels.map((channel, i) => ({ order: i + 1, channel }));
      rt.out(render(pickFormat(rt, o.format), r, rows));
    });
  channels
    .command('rules')
    .description(
      'show the workspace channel rules, or replace them with --set FILE (JSON or YAML list; first match wins; - reads stdin)',
    )
    .option(
      '--set <file>',
      'a list of {channel, when: {source?, medium?, campaign?, referrer?, clickIdType?}}',
    )
    .option('--workspace <slug>', 'workspace', 'demo')
    .option('--format <format>', 'table|json|csv')
    .action(async (o: { set?: string; workspace: string; format?: string }) => {
      const format = pickFormat(rt, o.format);
      const set = o.set;
      const r = set
        ? await onWorkspace(
            rt,
            o.workspace,
            async (ws) => {
              const { text, file } = await readTextInput(rt, set);
              return setChannelRules(ws, { text, name: file }, 'cli');
            },
            {
              method: 'PUT',
              path: '/api/v1/channels/rules',
              upload: { file: set, fields: { name: inputName(set) } },
            },
          )
        : await onWorkspace(rt, o.workspace, (ws) => channelRules(ws), {
            method: 'GET',
            path: '/api/v1/channels/rules',
          });
      const rows = r.rules.map((x, i) => ({
        order: i + 1,
        channel: x.channel,
        when: JSON.stringify(x.when),
      }));
      rt.out(render(format, r, rows));
    });
}
