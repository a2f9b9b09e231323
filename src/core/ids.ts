import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** A random UUID v4 for rows created at run time. */
export function newId(): string {
  return randomUUID();
}

/** Slugs name workspaces and plan ids: lowercase letters, digits and dashes. */
export const SLUG_RE = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** What each kind of key starts with: write (tracking), read (JSON API reads), token (scripts). */
export const KEY_PREFIX = { write: 'ns_w_', read: 'ns_r_', token: 'ns_t_' } as const;
export type KeyKind = keyof typeof KEY_PREFIX;

/**
 * A new API key: `ns_w_…` (write), `ns_r_…` (read) or `ns_t_…` (API token), 24 random bytes in
 * base64url. Only its SHA-256 is stored; the prefix (first 10 chars) is kept to tell keys apart.
 */
export function newApiKey(kind: KeyKind): string {
  return `${KEY_PREFIX[kind]}${randomBytes(24).toString('base64url')}`;
}

/** The longest text that can be a key (ours are 37 characters; room for longer kinds to come). */
export const MAX_KEY_LENGTH = 64;
const KEY_CHARS_RE = /^[A-Za-z0-9_-]+$/;

/**
 * Whether a text could be one of our keys at all: short and base64url. Anything else is refused
 * before a lookup, so an attacker's megabyte "key" is never hashed, queried or remembered.
 *
 * @example
 * isPlausibleKey('ns_w_0123456789abcdefghijklmnopqrstuv'); // true
 * isPlausibleKey('x'.repeat(900_000));                      // false
 */
export function isPlausibleKey(key: string): boolean {
  return key.length > 0 && key.length <= MAX_KEY_LENGTH && KEY_CHARS_RE.test(key);
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
