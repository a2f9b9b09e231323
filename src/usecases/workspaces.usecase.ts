/**
 * Workspaces: the one place a slug becomes a workspace (with the error every adapter shows for an
 * unknown one), creating and listing them, a workspace's settings as callers format with, and the
 * audit log.
 */
import { UserError } from '../core/errors.js';
import type { Store, WorkspaceStore } from '../store/store.js';

/** A workspace as every adapter describes it. */
export interface WorkspaceInfo {
  slug: string;
  timezone: string;
  currency: string;
}

/**
 * The workspace named `slug`, or a UserError (404 over HTTP) listing the known ones.
 *
 * @example
 * const ws = await openWorkspace(store, 'demo');
 */
export async function openWorkspace(store: Store, slug: string): Promise<WorkspaceStore> {
  const w = await store.getWorkspace(slug);
  if (!w) {
    const known = (await store.listWorkspaces()).map((x) => x.slug);
    throw new UserError(
      `workspace "${slug}" does not exist (${known.length ? `known: ${known.join(', ')}` : 'none yet: run `northstar demo` or `northstar workspace create SLUG`'})`,
      { field: '--workspace' },
      404,
    );
  }
  return store.forWorkspace(w);
}

/** What a workspace's figures are read in. */
export function workspaceInfo(ws: WorkspaceStore): WorkspaceInfo {
  return { slug: ws.workspace.slug, timezone: ws.workspace.timezone, currency: ws.workspace.currency };
}

/**
 * A new empty workspace.
 *
 * @example
 * await createWorkspace(store, { slug: 'acme', timezone: 'Europe/Warsaw', currency: 'EUR' });
 * // { slug: 'acme', timezone: 'Europe/Warsaw', currency: 'EUR', id: '…' }
 */
export async function createWorkspace(
  store: Store,
  input: { slug: string; timezone?: string; currency?: string },
): Promise<WorkspaceInfo & { id: string }> {
  const w = await store.createWorkspace({
    slug: input.slug,
    timezone: input.timezone ?? 'UTC',
    currency: input.currency ?? 'USD',
  });
  return { slug: w.slug, timezone: w.timezone, currency: w.currency, id: w.id };
}

/** Every workspace. */
export async function listWorkspaces(store: Store): Promise<{ workspaces: WorkspaceInfo[] }> {
  const list = await store.listWorkspaces();
  return { workspaces: list.map((w) => ({ slug: w.slug, timezone: w.timezone, currency: w.currency })) };
}

/** One audit entry as JSON. */
export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  entity: string;
  id: string;
  before: unknown;
  after: unknown;
}

/**
 * Who changed what and when, newest first.
 *
 * @example
 * await auditLog(ws, { limit: 50 }); // { entries: [{ at, actor, action, entity, id, before, after }] }
 */
export async function auditLog(
  ws: WorkspaceStore,
  input: { limit?: number },
): Promise<{ entries: AuditEntry[] }> {
  const limit = input.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new UserError(`--limit must be a whole number from 1 to 10,000, got "${input.limit}"`, {
      field: '--limit',
    });
  const entries = (await ws.listAudit(limit)).map((a) => ({
    at: a.at.toISOString(),
    actor: a.actor,
    action: a.action,
    entity: a.entity,
    id: a.entityId,
    before: a.before,
    after: a.after,
  }));
  return { entries };
}
