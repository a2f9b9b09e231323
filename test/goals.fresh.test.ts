import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { isUserError } from '../src/core/errors.js';
import { addDays } from '../src/core/time.js';
import type { GoalRecord } from '../src/domain/goal.js';
import { parseDraftPlan } from '../src/goals/plan.yaml.js';
import { lintPlan } from '../src/goals/smart.js';
import { goalsStatus } from '../src/goals/status.js';
import { installAccess } from '../src/server/access.js';
import { goalsRoutes } from '../src/server/routes/goals.route.js';
import { Sessions } from '../src/server/sessions.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { contact, runCli, spendRow, tempStore } from './fixtures.js';

// Two workspaces: `fresh` has no data at all (a team writes its plan before connecting data);
// `ads` has ad spend at a flat $9 a click from January 2025 to June 2026 (100 clicks for $900 a month).
let store: DuckDbStore;
let dir = '';
let fresh: WorkspaceStore;
let ads: WorkspaceStore;
let yoy: WorkspaceStore;
let app: FastifyInstance;
let readKey = '';

// Line numbers below are counted in this text (line 1: "goals:").
const PLAN = `goals:
  - id: pipeline
    title: Build pipeline
    owner: cmo@example.com
    objectives:
      - id: leads-q3
        title: Leads from 100 to 120
        kpi: leads
        target: from 100 to 120
        start: 2030-01-01
        due: 2030-03-31
        owner: ana@example.com
      - id: mqls-q3
        title: 25 % more MQLs
        kpi: mqls
        baseline: 3
        target: "+25%"
        start: 2030-01-01
        due: 2030-03-31
        owner: ben@example.com
`;

function cli(args: string[], slug: string): Promise<{ code: number; out: string; err: string }> {
  return runCli(store, dir, [...args, '--workspace', slug], { inServer: true });
}

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

before(async () => {
  const t = await tempStore();
  store = t.store;
  dir = t.dataDir;
  fresh = store.forWorkspace(await store.createWorkspace({ slug: 'fresh', timezone: 'UTC' }));
  ads = store.forWorkspace(await store.createWorkspace({ slug: 'ads', timezone: 'UTC' }));
  const months = Array.from({ length: 18 }, (_, i) => {
    const y = 2025 + Math.floor(i / 12);
    return `${y}-${String((i % 12) + 1).padStart(2, '0')}-15`;
  });
  await ads.appendSpend(months.map((d) => spendRow(d, 'Paid Search', 900, { clicks: 100 })));
  // Leads per quarter: 100 each quarter of 2024; 2025: 120, 130, 110, 125.
  yoy = store.forWorkspace(await store.createWorkspace({ slug: 'yoy', timezone: 'UTC' }));
  const quarters: Array<[string, number]> = [
    ['2024-01-01', 100],
    ['2024-04-01', 100],
    ['2024-07-01', 100],
    ['2024-10-01', 100],
    ['2025-01-01', 120],
    ['2025-04-01', 130],
    ['2025-07-01', 110],
    ['2025-10-01', 125],
  ];
  await yoy.upsertContacts(
    quarters.flatMap(([start, n], q) =>
      Array.from({ length: n }, (_, i) =>
        contact(`q${q}-${i}`, { leadAt: new Date(`${addDays(start, i % 85)}T12:00:00Z`) }),
      ),
    ),
  );
  readKey = (await fresh.createApiKey('read')).key;
  app = Fastify();
  installAccess(app, { store, sessions: new Sessions(store, { secure: () => false }) });
  app.setErrorHandler((e, _req, reply) => {
    if (isUserError(e)) return reply.code(e.status).send({ error: e.message, ...e.where });
    return reply.code(500).send({ error: String(e) });
  });
  await app.register(goalsRoutes(store));
});
after(async () => {
  await app.close();
  await store.close();
});

test('lint on a workspace with no data exits 0, with a warning on each objective', async () => {
  const r = await cli(['goals', 'lint', file('plan.yaml', PLAN), '--format', 'json'], 'fresh');
  assert.equal(r.code, 0, r.err);
  const json = JSON.parse(r.out) as {
    objectives: Array<{
      id: string;
      ok: boolean;
      smart: Record<string, { ok: boolean | null; reason: string }>;
      warnings: string[];
    }>;
  };
  for (const o of json.objectives) {
    assert.equal(o.ok, true, o.id);
    assert.equal(o.smart.measurable?.ok, true, o.id);
    // No history: Achievable is not judged (null), with its reason.
    assert.equal(o.smart.achievable?.ok, null, o.id);
    assert.equal(o.warnings.length, 1, o.id);
  }
  const [leads, mqls] = json.objectives;
  assert.equal(
    leads?.warnings[0],
    'leads has no data in this workspace from 2029-01-01 to 2029-12-31 yet: progress shows once its data is imported or tracked',
  );
  assert.equal(
    leads?.smart.achievable?.reason,
    'not judged: asks for +20 % (100 → 120); not enough history to judge (fewer than 3 earlier quarters with data to compare)',
  );
  // A count KPI gets a whole-number target: 3 × 1.25 = 3.75 asks for 4 MQLs.
  assert.equal(mqls?.smart.specific?.reason, 'mqls: increase to 4 from 3');
  const table = await cli(['goals', 'lint', file('plan.yaml', PLAN), '--format', 'table'], 'fresh');
  assert.equal(table.code, 0);
  assert.match(table.out, /\nleads-q3\s+ok\s+ok\s+–\s+ok\s+ok\s+achievable: not judged: asks for/);
  assert.match(table.out, /warning: mqls has no data in this workspace/);
});

test('apply refuses day and month swapped, with the line and the fix, and stores nothing', async () => {
  const swapped = file('swapped.yaml', PLAN.replace('due: 2030-03-31', 'due: 2030-31-03'));
  const r = await cli(['goals', 'apply', swapped], 'fresh');
  assert.equal(r.code, 1);
  assert.equal(
    r.err,
    `error: ${swapped}:11: goals[0].objectives[0].due: "2030-31-03" is not a calendar date (there is no month 31): did you mean 2030-03-31?\n`,
  );
  assert.deepEqual(await fresh.listGoals(), []);
  // A 30 February has no fix to offer, only the problem; lint says the same as apply.
  const feb = PLAN.replace('start: 2030-01-01', 'start: 2030-02-30');
  assert.equal((await cli(['goals', 'apply', file('feb.yaml', feb)], 'fresh')).code, 1);
  const lint = (await lintPlan(fresh, parseDraftPlan(feb))).objectives[0];
  assert.deepEqual(lint?.smart.time_bound, {
    ok: false,
    reason: 'start "2030-02-30" is not a calendar date (month 2 has no day 30)',
  });
  assert.deepEqual(await fresh.listGoals(), []);
});

test('apply refuses what lint refuses: unknown fields (did you mean), the ambiguous "25%"', async () => {
  const typo = PLAN.replace('baseline: 3', 'basline: 3');
  const r = await cli(['goals', 'apply', file('typo.yaml', typo)], 'fresh');
  assert.equal(r.code, 1);
  assert.match(
    r.err,
    /typo\.yaml:16: goals\[0\]\.objectives\[1\]\.basline: unknown field \(did you mean "baseline"\?\)\n$/,
  );
  const ambiguous = PLAN.replace('target: from 100 to 120', 'target: 25%');
  const a = await cli(['goals', 'apply', file('ambiguous.yaml', ambiguous)], 'fresh');
  assert.equal(a.code, 1);
  assert.match(a.err, /ambiguous\.yaml:9: goals\[0\]\.objectives\[0\]\.target: "25%" is ambiguous for leads/);
  // Numbers as people write them are fine in both.
  const commas = PLAN.replace('from 100 to 120', 'from 5,000 to 6,000').replace(
    'baseline: 3',
    'baseline: "1,000"',
  );
  const ok = await cli(['goals', 'apply', file('commas.yaml', commas)], 'fresh');
  assert.equal(ok.code, 0, ok.err);
  const stored = await fresh.listGoals();
  assert.equal(stored.find((g) => g.id === 'mqls-q3')?.spec.baseline, 1000);
  await fresh.replaceGoals([], 'test');
});

test('status and GET /api/v1/goals report a bad stored row instead of crashing', async () => {
  // As an earlier version could store it: a due date that is no calendar day.
  const now = new Date('2026-11-01T00:00:00Z');
  const rows: GoalRecord[] = [
    { id: 'g', parentId: null, kind: 'goal', title: 'G', owner: null, position: 0, spec: {}, updatedAt: now },
    {
      id: 'bad',
      parentId: 'g',
      kind: 'objective',
      title: 'Bad',
      owner: 'ana@example.com',
      position: 1,
      spec: { kpi: 'leads', target: 10, start: '2030-01-01', due: '2030-31-03' },
      updatedAt: now,
    },
    {
      id: 'good',
      parentId: 'g',
      kind: 'objective',
      title: 'Good',
      owner: 'ana@example.com',
      position: 2,
      spec: { kpi: 'leads', target: 10, start: '2026-10-01', due: '2026-12-31' },
      updatedAt: now,
    },
  ];
  await fresh.replaceGoals(rows, 'test');
  const report = await goalsStatus(fresh, '2026-11-15');
  const bad = report.objectives.find((o) => o.id === 'bad');
  assert.equal(bad?.status, 'at_risk');
  assert.equal(
    bad?.note,
    'the stored objective is not valid (due: "2030-31-03" is not a calendar date (there is no month 31): did you mean 2030-03-31?): fix it in the plan and apply the plan again',
  );
  assert.equal(report.objectives.find((o) => o.id === 'good')?.actual, 0);
  const res = await app.inject({
    url: '/api/v1/goals?as_of=2026-11-15',
    headers: { authorization: `Bearer ${readKey}` },
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().objectives.length, 2);
  const cliStatus = await cli(['goals', 'status', '--as-of', '2026-11-15', '--format', 'json'], 'fresh');
  assert.equal(cliStatus.code, 0, cliStatus.err);
  // The stored tree lints without crashing too: Time-bound fails with the same words.
  const lint = await cli(['goals', 'lint', '--format', 'json'], 'fresh');
  assert.equal(lint.code, 1);
  assert.match(lint.out, /there is no month 31/);
  await fresh.replaceGoals([], 'test');
});

const HOLD = (target: string, direction: string) => `goals:
  - id: efficient
    title: Efficient ads
    objectives:
      - {id: cpc, title: CPC, kpi: cpc, target: "${target}", direction: ${direction}, start: 2026-07-01, due: 2026-09-30, owner: ana}
`;

test('Achievable judges a level to hold against where the KPI is now', async () => {
  const lint = async (text: string) => (await lintPlan(ads, parseDraftPlan(text))).objectives[0];
  // CPC has been $9.00 every quarter: staying below $6.00 asks for −33 %, and it never fell.
  const far = await lint(HOLD('$6.00', 'stay_below'));
  assert.equal(far?.smart.specific.reason, 'cpc: stay below $6.00');
  assert.deepEqual(far?.smart.achievable, {
    ok: false,
    reason:
      'asks for −33 % ($9.00 in 2026-03-31 … 2026-06-30 → $6.00), but cpc never fell from one quarter to the next in the last 5 quarters',
  });
  assert.equal(far?.ok, false);
  // Below $10.00 it already is: holding it is achievable.
  const near = await lint(HOLD('$10.00', 'stay_below'));
  assert.deepEqual(near?.smart.achievable, {
    ok: true,
    reason: '$9.00 in 2026-03-31 … 2026-06-30 already meets it: it asks to hold that',
  });
  assert.equal(near?.ok, true);
});

test('a target on the same quarter last year is judged against year-on-year growth', async () => {
  const plan = (target: string) => `goals:
  - id: g
    title: Grow
    objectives:
      - {id: leads, title: Leads, kpi: leads, target: "${target}", start: 2026-01-01, due: 2026-03-31, owner: ana}
`;
  const lint = async (target: string) => (await lintPlan(yoy, parseDraftPlan(plan(target)))).objectives[0];
  // Baseline: Q1 2025, 120 leads. History: Q1 2024 is the first quarter with data (it may be partial,
  // left out); Q2, Q3, Q4 2025 against 2024's: 130 / 100, 110 / 100, 125 / 100 → +30 %, +10 %, +25 %.
  // A quarter against the quarter before would have said Q1 → Q2 2025 (+8 %) was the best.
  assert.deepEqual((await lint('+20%'))?.smart.achievable, {
    ok: true,
    reason:
      'asks for +20 % (120 → 144); the best growth over the same quarter a year earlier in the last 3 quarters was +30 % (2025-04-01 … 2025-06-30)',
  });
  assert.deepEqual((await lint('+40%'))?.smart.achievable, {
    ok: false,
    reason:
      'asks for +40 % (120 → 168), 10 points above the best growth over the same quarter a year earlier in the last 3 quarters: +30 % (2025-04-01 … 2025-06-30)',
  });
});
