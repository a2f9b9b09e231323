import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** A random UUID v4 for rows created at run time. */
export function newId(): string {
  return randomUUID();
}

/** Slugs name workspaces and plan ids: lowercase letters, digits and dashes. */
export const SLUG_RE = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/**
 * A new API key: `ns_w_…` (write) or `ns_r_…` (read), 32 random bytes in base64url.
 * Only its SHA-256 is stored; the prefix (first 10 chars) is kept to tell keys apart in lists.
 */
export function newApiKey(kind: 'write' | 'read'): string {
  return `ns_${kind === 'write' ? 'w' : 'r'}_${randomBytes(24).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
