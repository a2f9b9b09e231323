/** The webhook URLs alerts go to (workspace settings), changed with an audit entry each time. */
import { NotFoundError, UserError } from '../core/errors.js';
import type { WorkspaceStore } from '../store/store.js';

function checkUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError(`"${url}" is not a URL`, { field: 'url' });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new UserError('a webhook URL starts with https:// (or http://)', { field: 'url' });
  return u.toString();
}

/**
 * Adds a webhook URL for alerts (a Slack incoming webhook, or any endpoint taking JSON); adding one
 * twice keeps one.
 *
 * @example
 * await addWebhook(ws, 'https://hooks.slack.com/services/T000/B000/XXXX', 'cli'); // ['https://hooks…']
 */
export async function addWebhook(ws: WorkspaceStore, url: string, actor: string): Promise<string[]> {
  const u = checkUrl(url);
  const before = ws.workspace.settings.webhooks ?? [];
  if (before.includes(u)) return before;
  const after = [...before, u];
  await ws.updateSettings({ ...ws.workspace.settings, webhooks: after });
  await ws.audit({
    actor,
    action: 'webhook_add',
    entity: 'workspace',
    entityId: ws.workspace.slug,
    before,
    after,
  });
  return after;
}

/** Removes a webhook URL; an unknown one is a user error (likely a typo). */
export async function removeWebhook(ws: WorkspaceStore, url: string, actor: string): Promise<string[]> {
  const before = ws.workspace.settings.webhooks ?? [];
  let u = url;
  if (!before.includes(u)) {
    try {
      u = new URL(url).toString();
    } catch {
      // Not a URL at all: fall through to "not found" below.
    }
  }
  if (!before.includes(u)) throw new NotFoundError(`webhook "${url}"`);
  const after = before.filter((x) => x !== u);
  await ws.updateSettings({ ...ws.workspace.settings, webhooks: after });
  await ws.audit({
    actor,
    action: 'webhook_remove',
    entity: 'workspace',
    entityId: ws.workspace.slug,
    before,
    after,
  });
  return after;
}
