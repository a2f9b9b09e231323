import type { Store } from '../store/store.js';
import type { Format } from './format.js';

/**
 * What a command needs from its surroundings. The terminal CLI and the server (running a command on
 * the CLI's behalf while it holds the database) provide different ones; commands don't care which.
 */
export interface Runtime {
  /** Opens (once) and migrates the store. */
  store(): Promise<Store>;
  out(text: string): void;
  err(text: string): void;
  /** Standard input as text (passwords, piped files). */
  stdin(): Promise<string>;
  isTTY: boolean;
  dataDir: string;
  /** True inside `serve`: commands then must not close the store or start another server. */
  inServer: boolean;
}

/** Options every data command takes. */
export interface CommonOptions {
  workspace: string;
  format?: Format;
}
