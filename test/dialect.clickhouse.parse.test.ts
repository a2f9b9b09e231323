/**
 * The engines' queries, written with the ClickHouse dialect, are ClickHouse SQL: every statement the
 * KPI catalog, journeys, workspace attribution, import lookups, planning, alerts and lead scoring send
 * through `WorkspaceStore.query` is recorded (from a real DuckDB workspace whose `dialect` is
 * ClickHouse's and whose `query` records instead of running) and handed to ClickHouse's own parser
 * (chdb, `EXPLAIN AST`). It checks the text only: the values are the contract suite's job once a
 * ClickHouse store exists (docs/scale-out.md).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attributeAllModels } from '../src/attribution/workspace.attribution.js';
import { buildJourneys, CONVERSIONS } from '../src/attribution/workspace.journeys.js';
import { demoScoringYaml } from '../src/demo/demo.scoring.js';
import { lastStatuses } from '../src/goals/alerts.js';
import * as lookups from '../src/ingest/import/store.lookups.js';
import { KPI_CATALOG } from '../src/metrics/kpi.catalog.js';
import { runKpi, runKpis } from '../src/metrics/kpi.query.js';
import { channelTotals, funnelHistory, knownMarkets, landingPages } from '../src/planning/plan.data.js';
import { loadContacts, loadHits } from '../src/scoring/recompute.js';
import { slaReport, topScores } from '../src/scoring/report.js';
import { parseRules } from '../src/scoring/rules.yaml.js';
import { clickhouseDialect } from '../src/store/clickhouse/clickhouse.dialect.js';
import { SCOPED_TABLES, type WorkspaceStore } from '../src/store/store.js';
import { tempStore } from './fixtures.js';

// chdb (ClickHouse 26 in a 540 MB npm package) is not in the default install: npm could not write a
// lock file holding its other platforms' packages. `npm i --no-save chdb@3.4.0` runs these on ClickHouse.
const chdbName = 'chdb';
const chdb = (await import(chdbName).catch(() => null)) as {
  query: (sql: string, format: string) => string;
} | null;
const skip = chdb ? false : 'chdb is not installed (npm i --no-save chdb@3.4.0)';

const TABLES = new RegExp(`@(${SCOPED_TABLES.join('|')})\\b`, 'g');

/** ClickHouse's parser on one statement: tables as plain names, parameters as literals. */
function parseError(sql: string): string | null {
  const text = sql.replace(TABLES, '$1').replace(/\$[a-z_]\w*/gi, '1');
  try {
    (chdb as NonNullable<typeof chdb>).query(`EXPLAIN AST ${text}`, 'TSV');
    return null;
  } catch (e) {
    return (e as Error).message.split('\n')[0] ?? 'error';
  }
}

test('every engine query written with the ClickHouse dialect parses as ClickHouse SQL', {
  skip,
}, async () => {
  const { store } = await tempStore();
  const real = store.forWorkspace(await store.createWorkspace({ slug: 'ch' }));
  const rules = demoScoringYaml('small');
  await real.putScoringRules(rules, parseRules(rules));
  const sent: string[] = [];
  const ws = new Proxy(real, {
    get: (t, k) => {
      if (k === 'dialect') return clickhouseDialect;
      if (k === 'query')
        return async (sql: string) => {
          sent.push(sql);
          return [];
        };
      const v = (t as unknown as Record<string | symbol, unknown>)[k];
      return typeof v === 'function' ? v.bind(t) : v;
    },
  }) as WorkspaceStore;

  const range = { from: '2026-01-01', to: '2026-03-31' };
  const ids = KPI_CATALOG.map((k) => k.id);
  await runKpis(ws, ids, { ...range, by: 'channel', filter: { market: 'EMEA' } });
  await runKpis(ws, ids, { ...range, grain: 'week', by: 'owner' });
  await runKpi(ws, { kpi: 'sessions', from: '2020-01-01', to: '2025-12-31', grain: 'month' });
  await runKpi(ws, { kpi: 'leads', ...range, grain: 'total' });
  for (const conversion of CONVERSIONS)
    await buildJourneys(ws, { conversion, ...range, withNulls: true, account: conversion === 'deal_won' });
  await attributeAllModels(ws, { ...range, by: 'campaign' });
  const keys = ['a', 'b'];
  const at = new Date('2026-01-01T00:00:00Z');
  await Promise.all([
    lookups.contactsByIds(ws, keys),
    lookups.contactIdsByEmails(ws, keys),
    lookups.contactIdsByExternalIds(ws, keys),
    lookups.contactsByEmails(ws, keys),
    lookups.existingContactIds(ws, keys),
    lookups.countDealsOfContacts(ws, keys),
    lookups.dealsAwaitingEmails(ws, keys),
    lookups.contactHistoryKeys(ws, keys),
    lookups.dealsByIds(ws, keys),
    lookups.dealHistory(ws, keys),
    lookups.storedMessageIds(ws, keys, at, at),
    lookups.storedSessionIds(ws, keys),
    lookups.linkedAnonymousIds(ws, keys),
    lookups.emailEventKeys(ws, keys, at, at),
    lookups.spendBetween(ws, range.from, range.to),
    lookups.socialBetween(ws, range.from, range.to),
  ]);
  await channelTotals(ws, range.from, range.to);
  await landingPages(ws, range.from, range.to);
  await knownMarkets(ws);
  await funnelHistory(ws, range.from, range.to, 'EMEA');
  await lastStatuses(ws);
  const parsed = parseRules(rules);
  for (const restrict of [
    { kind: 'all' },
    { kind: 'since', since: at },
    { kind: 'contact', id: 'a' },
  ] as const) {
    await loadContacts(ws, parsed, restrict);
    await loadHits(ws, parsed, restrict);
  }
  await topScores(ws);
  await slaReport(ws, range.from, range.to);
  await store.close();

  assert.ok(sent.length >= 50, `recorded ${sent.length} statements`);
  const failures = [...new Set(sent)].flatMap((sql) => {
    const err = parseError(sql);
    return err ? [`${err}\n  in: ${sql.slice(0, 300)}`] : [];
  });
  assert.deepEqual(failures, []);
});
