import type { Command } from 'commander';
import { createKey, listKeys, revokeKey } from '../../usecases/keys.usecase.js';
import { stats } from '../../usecases/stats.usecase.js';
import { addUser } from '../../usecases/users.usecase.js';
import { auditLog, createWorkspace, listWorkspaces } from '../../usecases/workspaces.usecase.js';
import { onStore, onWorkspace } from '../backend.js';
import { render } from '../format.js';
import type { Runtime } from '../runtime.js';
import { pickFormat } from '../workspace.js';

/** `workspace create|list`, `keys create|list|revoke`, `user create`, `audit`, `stats`. */
export function registerAdmin(program: Command, rt: Runtime): void {
  const workspace = program.command('workspace').description('manage workspaces');
  workspace
    .command('create <slug>')
    .description('a new empty workspace')
    .option('--timezone <tz>', 'IANA time zone for dates and periods', 'UTC')
    .option('--currency <code>', 'ISO 4217 currency of every amount', 'USD')
    .option('--format <format>', 'table|json|csv')
    .action(async (slug: string, o: { timezone: string; currency: string; format?: string }) => {
      const format = pickFormat(rt, o.format);
      const input = { slug, timezone: o.timezone, currency: o.currency };
      const row = await onStore(rt, (store) => createWorkspace(store, input), {
        method: 'POST',
        path: '/api/v1/workspaces',
        body: input,
      });
      rt.out(render(format, row, [row]));
    });
  workspace
    .command('list')
    .description('every workspace')
    .option('--format <format>', 'table|json|csv')
    .action(async (o: { format?: string }) => {
      const format = pickFormat(rt, o.format);
      const r = await onStore(rt, (store) => listWorkspaces(store), {
        method: 'GET',
        path: '/api/v1/workspaces',
      });
      rt.out(render(format, r, r.workspaces));
    });

  const keys = program.command('keys').description('API keys: create, list, revoke');
  keys
    .command('list')
    .description("the workspace's keys: prefix, kind, created, last used, revoked (never the key)")
    .option('--workspace <slug>', 'workspace', 'demo')
    .option('--format <format>', 'table|json|csv')
    .action(async (o: { workspace: string; format?: string }) => {
      const format = pickFormat(rt, o.format);
      const r = await onWorkspace(rt, o.workspace, (ws) => listKeys(ws), {
        method: 'GET',
        path: '/api/v1/keys',
      });
      rt.out(render(format, r, r.keys));
    });
  keys
    .command('revoke <key>')
    .description(
      'revokes a key, given whole or by the prefix `keys list` shows; refused from the next request on',
    )
    .option('--workspace <slug>', 'workspace', 'demo')
    .option('--format <format>', 'table|json|csv')
    .action(async (key: string, o: { workspace: string; format?: string }) => {
      const format = pickFormat(rt, o.format);
      const row = await onWorkspace(rt, o.workspace, (ws) => revokeKey(ws, { key }, 'cli'), {
        method: 'DELETE',
        path: `/api/v1/keys/${encodeURIComponent(key)}`,
      });
      rt.out(render(format, row, [row]));
    });
  keys
    .command('create')
    .description('prints one new key, alone, on stdout (only its hash is stored)')
    .requiredOption(
      '--kind <kind>',
      'write (tracking API), read (JSON API reads) or token (JSON API writes from scripts)',
    )
    .option('--role <role>', "a token's role: editor or admin (default editor)")
    .option('--workspace <slug>', 'workspace', 'demo')
    .action(async (o: { kind: string; role?: string; workspace: string }) => {
      const input = { kind: o.kind, ...(o.role === undefined ? {} : { role: o.role }) };
      const r = await onWorkspace(rt, o.workspace, (ws) => createKey(ws, input, 'cli'), {
        method: 'POST',
        path: '/api/v1/keys',
        body: input,
      });
      rt.out(`${r.key}\n`);
    });

  program
    .command('user')
    .description('users')
    .command('create')
    .description('a user of the workspace; the password is read from stdin')
    .requiredOption('--email <email>', 'e-mail address, the sign-in name')
    .option('--role <role>', 'admin|editor|viewer', 'viewer')
    .option('--name <name>', 'display name')
    .option('--workspace <slug>', 'workspace', 'demo')
    .action(async (o: { email: string; role: string; name?: string; workspace: string }) => {
      const input = { email: o.email, role: o.role, name: o.name, password: await rt.stdin() };
      const r = await onWorkspace(rt, o.workspace, (ws, store) => addUser(store, ws, input, 'cli'), {
        method: 'POST',
        path: '/api/v1/users',
        body: input,
      });
      rt.out(`${r.email} is ${r.role} of ${r.workspace}\n`);
    });

  program
    .command('audit')
    .description(
      'who changed what and when: goals, objectives, check-ins, scoring and channel rules, members, keys (newest first)',
    )
    .option('--limit <n>', 'how many entries', '50')
    .option('--workspace <slug>', 'workspace', 'demo')
    .option('--format <format>', 'table|json|csv')
    .action(async (o: { limit: string; workspace: string; format?: string }) => {
      const format = pickFormat(rt, o.format);
      const limit = Number(o.limit);
      const r = await onWorkspace(rt, o.workspace, (ws) => auditLog(ws, { limit }), {
        method: 'GET',
        path: '/api/v1/audit',
        query: { limit: o.limit },
      });
      const rows = format === 'table' ? r.entries.map(({ before: _b, after: _a, ...x }) => x) : r.entries;
      rt.out(render(format, r, rows));
    });

  program
    .command('stats')
    .description('row counts per kind of data')
    .option('--workspace <slug>', 'workspace', 'demo')
    .option('--format <format>', 'table|json|csv')
    .action(async (o: { workspace: string; format?: string }) => {
      const format = pickFormat(rt, o.format);
      const counts = await onWorkspace(rt, o.workspace, (ws) => stats(ws), {
        method: 'GET',
        path: '/api/v1/stats',
      });
      const rows = Object.entries(counts).map(([kind, rows]) => ({ kind, rows }));
      rt.out(render(format, counts, rows));
    });
}
