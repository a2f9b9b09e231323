import type { Store } from '../store/store.js';
import type { Format } from './format.js';

/** A server running on the data directory, from its server file (src/server/serve.ts writes it). */
export interface ServerAddress {
  host: string;
  port: number;
  /** The local CLI credential. */
  token: string;
}

/**
 * What a command needs from its surroundings: the terminal, and either a store this process opens or
 * the server that holds it (commands reach their use case through src/cli/backend.ts either way).
 */
export interface Runtime {
  /** Opens (once) and migrates the store. */
  store(): Promise<Store>;
  out(text: string): void;
  err(text: string): void;
  /** Standard input as text (passwords, piped files). */
  stdin(): Promise<string>;
  /** Standard input as bytes (piped files); default: stdin() as UTF-8. */
  stdinBytes?(): Promise<Buffer>;
  isTTY: boolean;
  dataDir: string;
  /** The server holding the database: use cases then run there, through its JSON API. */
  server?: ServerAddress | null;
  /** Progress bars only on a terminal of this process (tests running commands set this). */
  inServer?: boolean;
}

/** Options every data command takes. */
export interface CommonOptions {
  workspace: string;
  format?: Format;
}
