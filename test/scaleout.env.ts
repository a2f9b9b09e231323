/**
 * Where the scale-out suites find their servers: `npm run test:all` (scripts/test-all.sh) starts
 * PostgreSQL and two clickhouse-server shards (scripts/scaleout-servers.sh), installs chdb, and sets
 * these variables plus NORTHSTAR_TEST_SCALEOUT=required, so in CI a missing engine fails the run.
 * Run alone (`npm test`, a single file), a suite without its engine is skipped with the reason.
 */
import postgres from 'postgres';

export const env = {
  pg: process.env.NORTHSTAR_TEST_PG,
  chdb: process.env.NORTHSTAR_TEST_CHDB === '1',
  shards: process.env.NORTHSTAR_TEST_CH_SHARDS?.split(',').filter(Boolean) ?? [],
  cluster: process.env.NORTHSTAR_TEST_CH_CLUSTER,
  required: process.env.NORTHSTAR_TEST_SCALEOUT === 'required',
};

/**
 * `false` when `need` is met, else the skip reason; under test:all a missing engine throws instead,
 * so CI cannot pass without running the suite.
 */
export function skipUnless(need: boolean, what: string): false | string {
  if (need) return false;
  // chdb (ClickHouse in a 540 MB npm package) is not in package.json: test:all installs it unsaved.
  const chdb = what.includes('chdb')
    ? '; chdb alone: `npm i --no-save chdb@3.4.0` and NORTHSTAR_TEST_CHDB=1'
    : '';
  const why = `${what} is not set up: run \`npm run test:all\` (it starts the servers)${chdb}`;
  if (env.required) throw new Error(`test:all should have set up ${what}`);
  return why;
}

let n = 0;
/** A new, empty database on the test PostgreSQL server; returns its URL. */
export async function freshPgDatabase(url: string): Promise<string> {
  const name = `ns_${process.pid}_${Date.now().toString(36)}_${n++}`;
  const admin = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
