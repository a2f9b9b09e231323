/**
 * Where a command's use case runs. With no server on the data directory, here, on the database
 * opened by this process; while `serve` holds it (DuckDB lets one process write a file), in the
 * server, through the JSON-API route of the same use case, with the local credential of the data
 * directory's server file. Either way the command gets the same plain JSON and formats it itself, so
 * `--format json` prints the same bytes.
 */
import { existsSync, openAsBlob, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { PlanFileError, type PlanProblem } from '../goals/plan.yaml.js';
import type { Store, WorkspaceStore } from '../store/store.js';
import { openWorkspace, type WorkspaceInfo, workspaceInfo } from '../usecases/workspaces.usecase.js';
import type { Runtime } from './runtime.js';

/** How a use case is reached on a running server. */
export interface HttpCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** Query parameters; undefined ones are left out, arrays repeat the name. */
  query?: Record<string, string | number | boolean | readonly string[] | undefined>;
  /** A JSON body. */
  body?: unknown;
  /** A file streamed as the multipart `file` part (`-`: standard input), with `fields` before it. */
  upload?: { file: string; fields?: Record<string, string | undefined> };
}

/** A refusal with its JSON-API status and body, for commands that read more than the message. */
export class Refusal extends UserError {
  constructor(
    message: string,
    where: { file?: string; line?: number; field?: string },
    status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(message, where, status);
  }
}

/** Standard input as bytes (a file piped to an import keeps its encoding). */
export async function stdinBytes(rt: Runtime): Promise<Buffer> {
  return rt.stdinBytes ? rt.stdinBytes() : Buffer.from(await rt.stdin());
}

/** The same data a route's JSON answer carries (Dates as ISO text, no undefined fields). */
function plain<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/**
 * Runs a use case of workspace `slug`: `local` on this process's store, or `remote` on the server.
 *
 * @example
 * const counts = await onWorkspace(rt, 'demo', (ws) => stats(ws), { method: 'GET', path: '/api/v1/stats' });
 */
export async function onWorkspace<T>(
  rt: Runtime,
  slug: string,
  local: (ws: WorkspaceStore, store: Store) => Promise<T> | T,
  remote: HttpCall,
): Promise<T> {
  if (rt.server) return (await send(rt, slug, remote)).json() as Promise<T>;
  const store = await rt.store();
  return plain(await local(await openWorkspace(store, slug), store));
}

/** Runs a use case of the whole store (workspaces, demo, backups) here or on the server. */
export async function onStore<T>(
  rt: Runtime,
  local: (store: Store) => Promise<T> | T,
  remote: HttpCall,
): Promise<T> {
  if (rt.server) return (await send(rt, null, remote)).json() as Promise<T>;
  return plain(await local(await rt.store()));
}

/** Runs a use case that needs no database (a path file's attribution) here, or on the server. */
export async function onSelf<T>(
  rt: Runtime,
  slug: string,
  local: () => Promise<T> | T,
  remote: HttpCall,
): Promise<T> {
  if (rt.server) return (await send(rt, slug, remote)).json() as Promise<T>;
  return plain(await local());
}

/** The workspace's time zone and currency, which tables and default dates are read in. */
export function infoOf(rt: Runtime, slug: string): Promise<WorkspaceInfo> {
  return onWorkspace(rt, slug, (ws) => workspaceInfo(ws), { method: 'GET', path: '/api/v1/workspace' });
}

/** Sends `call` to the running server; a refusal becomes a UserError (exit 1), a failure an Error (2). */
export async function send(rt: Runtime, slug: string | null, call: HttpCall): Promise<Response> {
  const s = rt.server;
  if (!s) throw new Error('no server to send to');
  const url = new URL(`http://${s.host.includes(':') ? `[${s.host}]` : s.host}:${s.port}${call.path}`);
  for (const [k, v] of Object.entries(call.query ?? {})) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(one));
  }
  // The CLI prints today's figures, never an answer the dashboard may be shown while newer data is
  // being counted: the same JSON as the command run with the server stopped.
  const headers: Record<string, string> = { authorization: `Bearer ${s.token}`, 'cache-control': 'no-cache' };
  if (slug !== null) headers['x-northstar-workspace'] = slug;
  let body: BodyInit | undefined;
  if (call.upload) {
    const form = new FormData();
    // Fields before the file: a route reading the file as it streams has them by then.
    for (const [k, v] of Object.entries(call.upload.fields ?? {})) if (v !== undefined) form.append(k, v);
    const file = call.upload.file;
    const blob =
      file === '-' ? new Blob([new Uint8Array(await stdinBytes(rt))]) : await openAsBlob(readable(file));
    form.append('file', blob, file === '-' ? 'stdin' : file.split(/[\\/]/).pop());
    body = form;
  } else if (call.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(call.body);
  }
  const res = await fetch(url, { method: call.method, headers, body }).catch((e: unknown) => {
    throw new Error(
      `the server on ${s.host}:${s.port} did not answer (${(e as Error).message}); if it stopped, run the command again`,
    );
  });
  if (res.ok) return res;
  const text = await res.text();
  let answer: Record<string, unknown> = {};
  try {
    answer = JSON.parse(text) as Record<string, unknown>;
  } catch {
    answer = { error: text };
  }
  const message = typeof answer.error === 'string' ? answer.error : `the server answered ${res.status}`;
  if (res.status >= 500)
    throw new Error(`${message} (server status ${res.status}, request ${String(answer.requestId ?? '')})`);
  const problems = answer.problems as PlanProblem[] | undefined;
  if (Array.isArray(problems) && typeof answer.file === 'string' && problems.length)
    throw new PlanFileError(answer.file, problems);
  const where = {
    ...(typeof answer.file === 'string' ? { file: answer.file } : {}),
    ...(typeof answer.line === 'number' ? { line: answer.line } : {}),
    ...(typeof answer.field === 'string' ? { field: answer.field } : {}),
  };
  throw new Refusal(message, where, res.status, answer);
}

/** The absolute path of a file to upload, or a one-line error when there is no such file. */
function readable(file: string): string {
  const path = resolve(file);
  if (!existsSync(path) || !statSync(path).isFile())
    throw new UserError(`cannot read ${file}: no such file`, { file });
  return path;
}
