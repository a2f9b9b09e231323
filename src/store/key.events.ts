/**
 * "A key was revoked" within one process: the server's key caches listen, and whatever revokes a key
 * in that process (the CLI command the server runs for a CLI, an API route) tells them, so the very
 * next request with the key is refused.
 */
const listeners = new Set<() => void>();

/**
 * @example
 * const off = onKeysChanged(() => cache.clear());
 * keysChanged(); // every cache of this process forgets what it knew
 */
export function onKeysChanged(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function keysChanged(): void {
  for (const fn of listeners) fn();
}
