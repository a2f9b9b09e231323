/**
 * Password hashes: argon2id (OWASP's parameters: 19 MiB, 2 passes, 1 lane), in the PHC string format
 * that carries its own salt and parameters. Hashes written before argon2id (`scrypt$salt$hash`) still
 * verify, and are replaced by an argon2id hash at the next successful sign-in (see `needsRehash`).
 */
import { scryptSync, timingSafeEqual } from 'node:crypto';
import { type Algorithm, hash, verify } from '@node-rs/argon2';
import { UserError } from '../core/errors.js';

// `Algorithm` is a const enum in the binding's types, which this build cannot inline: its value.
const ARGON2ID = 2 as Algorithm;
const PARAMS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
/** The longest password accepted (argon2 takes any length; a megabyte would only cost CPU). */
export const MAX_PASSWORD_LENGTH = 1024;

/** Refuses a password too short or too long to be a password, with what to do. */
export function checkNewPassword(password: string): void {
  if (password.length < 8) throw new UserError('the password needs at least 8 characters');
  if (password.length > MAX_PASSWORD_LENGTH)
    throw new UserError(`the password can have at most ${MAX_PASSWORD_LENGTH} characters`);
}

/**
 * @example
 * const stored = await hashPassword('correct horse'); // '$argon2id$v=19$m=19456,t=2,p=1$…'
 */
export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMS);
}

// A hash of nothing anyone knows, verified when the e-mail is unknown, so that an unknown e-mail
// takes as long to refuse as a wrong password (no list of accounts by timing).
let decoy: Promise<string> | null = null;

/**
 * Whether `password` matches `stored` (argon2id, or a legacy scrypt hash); `stored` null verifies
 * against a decoy and answers false, taking the same time.
 *
 * @example
 * await checkPassword('correct horse', stored); // true
 */
export async function checkPassword(password: string, stored: string | null): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  if (stored === null) {
    decoy ??= hashPassword(`decoy-${Math.random()}`);
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  if (stored.startsWith('$argon2')) return verify(stored, password).catch(() => false);
  const [scheme, salt, h] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !h) return false;
  const got = scryptSync(password, Buffer.from(salt, 'hex'), 32);
  const want = Buffer.from(h, 'hex');
  return got.length === want.length && timingSafeEqual(got, want);
}

/** Whether a stored hash predates argon2id (and is replaced once its password is seen again). */
export function needsRehash(stored: string): boolean {
  return !stored.startsWith('$argon2id$');
}
