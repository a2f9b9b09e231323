import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { ROLES, type Role } from '../../domain/workspace.js';
import { keysChanged } from '../../store/key.events.js';
import { render } from '../format.js';
import type { Runtime } from '../runtime.js';
import { openWorkspace, pickFormat } from '../workspace.js';

/** `workspace create`, `keys create`, `user create`, `stats`. */
export function registerAdmin(program: Command, rt: Runtime): void {
  const workspace = program.command('workspace').description('manage workspaces');
  workspace
    .command('create <slug>')
    .description('a new empty workspace')
    .option('--timezone <tz>', 'IANA time zone for dates and periods', 'UTC')
    .option('--currency <code>', 'ISO 4217 currency of every amount', 'USD')
    .option('--format <format>', 'table|json|csv')
    .action(async (slug: string, o: { timezone: string; currency: string; format?: string }) => {
      const store = await rt.store();
      const w = await store.createWorkspace({ slug, timezone: o.timezone, currency: o.currency });
      const row = { slug: w.slug, timezone: w.timezone, currency: w.currency, id: w.id };
      rt.out(render(pickFormat(rt, o.format), row, [row]));
    });
  workspace
    .command('list')
    .description('every workspace')
    .option('--format <format>', 'table|json|csv')
    .action(async (o: { format?: string }) => {
      const list = (await (await rt.store()).listWorkspaces()).map((w) => ({
        slug: w.slug,
        timezone: w.timezone,
        currency: w.currency,
      }));
      rt.out(render(pickFormat(rt, o.format), { workspaces: list }, list));
    });

  const keys = program.command('keys').description('API keys: create, list, revoke');
  keys
    .command('list')
    .description("the workspace's keys: prefix, kind, created, last used, revoked (never the key)")
    .option('--workspace <slug>', 'workspace', 'demo')
    .option('--format <format>', 'table|json|csv')
    .action(async (o: { workspace: string; format?: string }) => {
      const { ws } = await openWorkspace(rt, o.workspace);
      const list = (await ws.listApiKeys()).map((k) => ({
        prefix: k.prefix,
        kind: k.kind,
        role: k.role,
        created: k.createdAt.toISOString(),
        last_used: k.lastUsedAt?.toISOString() ?? null,
        revoked: k.revokedAt?.toISOString() ?? null,
      }));
      rt.out(render(pickFormat(rt, o.format), { keys: list }, list));
    });
  keys
    .command('revoke <key>')
    .description(
      'revokes a key, given whole or by the prefix `keys list` shows; refused from the next request on',
    )
    .option('--workspace <slug>', 'workspace', 'demo')
    .option('--format <format>', 'table|json|csv')
    .action(async (key: string, o: { workspace: string; format?: string }) => {
      const { ws } = await openWorkspace(rt, o.workspace);
      const info = await ws.revokeApiKey(key);
      // In a running server (which runs this command for the CLI) its caches forget the key now.
      keysChanged();
      await ws.audit({
        actor: 'cli',
        action: 'revoke',
        entity: 'api_key',
        entityId: info.prefix,
        before: null,
        after: { kind: info.kind },
      });
      const row = { prefix: info.prefix, kind: info.kind, revoked: info.revokedAt?.toISOString() ?? null };
      rt.out(render(pickFormat(rt, o.format), row, [row]));
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
      if (o.kind !== 'write' && o.kind !== 'read' && o.kind !== 'token')
        throw new UserError('--kind must be write, read or token', { field: '--kind' });
      if (o.role !== undefined && o.kind !== 'token')
        throw new UserError('--role is for --kind token only (write and read keys have none)', {
          field: '--role',
        });
      if (o.role !== undefined && o.role !== 'editor' && o.role !== 'admin')
        throw new UserError("--role must be editor or admin (a read key is the viewer's)", {
          field: '--role',
        });
      const { ws } = await openWorkspace(rt, o.workspace);
      const { key, info } = await ws.createApiKey(o.kind, o.role as Role | undefined);
      await ws.audit({
        actor: 'cli',
        action: 'create',
        entity: 'api_key',
        entityId: info.prefix,
        before: null,
        after: { kind: info.kind, role: info.role },
      });
      rt.out(`${key}\n`);
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
      if (!(ROLES as readonly string[]).includes(o.role))
        throw new UserError(`--role must be one of ${ROLES.join(', ')}`, { field: '--role' });
      const { store, ws } = await openWorkspace(rt, o.workspace);
      const password = (await rt.stdin()).replace(/\r?\n$/, '');
      const user =
        (await store.findUserByEmail(o.email)) ?? (await store.createUser(o.email, o.name ?? null, password));
      await ws.addMember(user.id, o.role as Role);
      await ws.audit({
        actor: 'cli',
        action: 'add_member',
        entity: 'user',
        entityId: user.id,
        before: null,
        after: { email: user.email, role: o.role },
      });
      rt.out(`${user.email} is ${o.role} of ${o.workspace}\n`);
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
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
        throw new UserError(`--limit must be a whole number from 1 to 10,000, got "${o.limit}"`, {
          field: '--limit',
        });
      const { ws } = await openWorkspace(rt, o.workspace);
      const entries = (await ws.listAudit(limit)).map((a) => ({
        at: a.at.toISOString(),
        actor: a.actor,
        action: a.action,
        entity: a.entity,
        id: a.entityId,
        before: a.before,
        after: a.after,
      }));
      const format = pickFormat(rt, o.format);
      const rows = format === 'table' ? entries.map(({ before: _b, after: _a, ...r }) => r) : entries;
      rt.out(render(format, { entries }, rows));
    });

  program
    .command('stats')
    .description('row counts per kind of data')
    .option('--workspace <slug>', 'workspace', 'demo')
    .option('--format <format>', 'table|json|csv')
    .action(async (o: { workspace: string; format?: string }) => {
      const { ws } = await openWorkspace(rt, o.workspace);
      const counts = await ws.counts();
      const rows = Object.entries(counts).map(([kind, rows]) => ({ kind, rows }));
      rt.out(render(pickFormat(rt, o.format), counts, rows));
    });
}
