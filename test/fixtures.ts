import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram, runProgram } from '../src/cli/program.js';
import type { Runtime } from '../src/cli/runtime.js';
import type { ContactRow, DealRow, SpendRow } from '../src/domain/crm.js';
import type { EventRow, SessionRow } from '../src/domain/event.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { Store } from '../src/store/store.js';

/** A fresh store in a new temporary data directory. */
export async function tempStore(): Promise<{ store: DuckDbStore; dataDir: string; dbPath: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ns-test-'));
  const dbPath = join(dataDir, 'northstar.duckdb');
  const store = await DuckDbStore.open(dbPath);
  await store.migrate();
  return { store, dataDir, dbPath };
}

export function session(
  id: string,
  startedAt: string,
  channel: string,
  over: Partial<SessionRow> = {},
): SessionRow {
  const t = new Date(startedAt);
  return {
    sessionId: id,
    anonymousId: `anon-${id}`,
    userId: null,
    startedAt: t,
    endedAt: new Date(t.getTime() + 60_000),
    events: 2,
    pageViews: 2,
    channel,
    source: null,
    medium: null,
    campaign: null,
    term: null,
    content: null,
    referrer: null,
    landingPath: '/',
    ...over,
  };
}

export function contact(id: string, over: Partial<ContactRow> = {}): ContactRow {
  return {
    id,
    email: `${id}@example.com`,
    firstName: null,
    lastName: null,
    company: null,
    industry: null,
    jobTitle: null,
    companySize: null,
    country: null,
    market: null,
    lifecycleStage: 'lead',
    originalSource: null,
    owner: null,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    subscriberAt: null,
    leadAt: null,
    mqlAt: null,
    salAt: null,
    sqlAt: null,
    opportunityAt: null,
    customerAt: null,
    properties: {},
    ...over,
  };
}

export function deal(
  id: string,
  contactId: string,
  amount: number,
  createdAt: string,
  closedAt: string | null,
  won: boolean | null,
  owner = 'ana',
): DealRow {
  return {
    id,
    contactId,
    name: null,
    amount,
    currency: 'USD',
    stage: won === null ? 'proposal' : won ? 'closed_won' : 'closed_lost',
    pipeline: null,
    owner,
    createdAt: new Date(createdAt),
    closedAt: closedAt ? new Date(closedAt) : null,
    won,
    properties: {},
  };
}

/**
 * Runs the whole CLI in-process against `store` (as the server does for a forwarded command) and
 * returns its exit status and output.
 */
export async function runCli(
  store: Store,
  dataDir: string,
  args: string[],
  opts: { inServer?: boolean; stdin?: string } = {},
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const rt: Runtime = {
    store: async () => store,
    out: (s) => {
      out += s;
    },
    err: (s) => {
      err += s;
    },
    stdin: async () => opts.stdin ?? '',
    isTTY: false,
    dataDir,
    inServer: opts.inServer ?? false,
  };
  const code = await runProgram(buildProgram(rt), rt, args);
  return { code, out, err };
}

/** A spend row with the common defaults (no source, medium or counts). */
export function spendRow(
  date: string,
  channel: string,
  cost: number,
  over: Partial<SpendRow> = {},
): SpendRow {
  return {
    date,
    channel,
    source: null,
    medium: null,
    campaign: null,
    cost,
    currency: 'USD',
    impressions: null,
    clicks: null,
    reach: null,
    ...over,
  };
}

/**
 * `northstar serve` as a real process (through tsx) on a free port of `dataDir`; resolves with the
 * process and its base URL once it listens.
 */
export async function startServe(
  dataDir: string,
  args: readonly string[] = [],
): Promise<{ server: ChildProcess; base: string; log: () => string }> {
  const main = new URL('../src/cli/main.ts', import.meta.url).pathname;
  const server = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), main, 'serve', '--port', '0', '--data', dataDir, ...args],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let log = '';
  server.stderr?.on('data', (d) => {
    log += String(d);
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const m = /listening on (http:\/\/\S+)/.exec(log);
    if (m?.[1]) return { server, base: m[1], log: () => log };
    if (Date.now() > deadline || server.exitCode !== null) {
      server.kill('SIGKILL');
      throw new Error(`server did not start: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Stops a process with `signal` and waits for it to exit. */
export async function stopProcess(p: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill(signal);
  await exited;
}

/** A stored event row: a `track` with nothing but its id and time unless `over` says more. */
export function eventRow(messageId: string, timestamp: Date, over: Partial<EventRow> = {}): EventRow {
  return {
    messageId,
    type: 'track',
    event: null,
    anonymousId: null,
    userId: null,
    timestamp,
    receivedAt: timestamp,
    sessionId: null,
    channel: null,
    source: null,
    medium: null,
    campaign: null,
    term: null,
    content: null,
    referrer: null,
    url: null,
    path: null,
    clickIdType: null,
    clickId: null,
    revenue: null,
    value: null,
    currency: null,
    properties: {},
    context: {},
    traits: {},
    ...over,
  };
}
