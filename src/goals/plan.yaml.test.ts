import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildPlan, flattenPlan } from './goal.tree.js';
import { PlanFileError, parseDraftPlan, parsePlan, planToYaml } from './plan.yaml.js';

// Line numbers below are counted in these texts: line 1 is "goals:".
const PLAN = `goals:
  - id: more-leads
    title: Increase lead generation
    owner: cmo@example.com
    objectives:
      - id: qualified-leads-q3
        title: 20 % more qualified leads next quarter
        kpi: mqls
        filter: {channel: Email}
        target: "+20%"
        start: 2026-07-01
        due: 2026-09-30
        owner: ana@example.com
        objectives:
          - id: leads-q3
            title: Leads per quarter 2,000 → 3,000
            kpi: leads
            target: from 2,000 to 3,000
            start: 2026-07-01
            due: 2026-09-30
            owner: ben@example.com
            weight: 2
`;

function problems(text: string, parse: (text: string, file: string) => unknown = parsePlan) {
  try {
    parse(text, 'plan.yaml');
  } catch (e) {
    if (e instanceof PlanFileError) return e.lines();
    throw e;
  }
  return [];
}

test('a valid plan parses; dates stay dates and formatted numbers become numbers', () => {
  const plan = parsePlan(PLAN);
  const o = plan.goals[0]?.objectives[0];
  assert.equal(o?.start, '2026-07-01');
  assert.deepEqual(o?.filter, { channel: 'Email' });
  assert.equal(o?.objectives?.[0]?.target, 'from 2,000 to 3,000');
  assert.equal(o?.objectives?.[0]?.weight, 2);
});

test('two owners: the line of the owner field and the path of the objective', () => {
  const text = PLAN.replace('owner: ben@example.com', 'owner: [ben@example.com, eve@example.com]');
  assert.deepEqual(problems(text), [
    'plan.yaml:21: goals[0].objectives[0].objectives[0].owner: exactly one owner is required',
  ]);
  const joined = PLAN.replace('owner: ana@example.com', 'owner: ana@example.com and ben@example.com');
  assert.deepEqual(problems(joined), [
    'plan.yaml:13: goals[0].objectives[0].owner: exactly one owner is required',
  ]);
});

test('a missing field is reported where its objective starts', () => {
  const text = PLAN.replace('        owner: ana@example.com\n', '');
  assert.deepEqual(problems(text), [
    'plan.yaml:6: goals[0].objectives[0].owner: exactly one owner is required',
  ]);
  const noKpi = PLAN.replace('            kpi: leads\n', '');
  assert.deepEqual(problems(noKpi), ['plan.yaml:15: goals[0].objectives[0].objectives[0].kpi: is required']);
});

test('every problem is listed, in line order, each with its own line', () => {
  const text = PLAN.replace('target: "+20%"', 'target: "lots more"')
    .replace('due: 2026-09-30\n        owner', 'due: end of Q3\n        owner')
    .replace('            weight: 2', '            weigth: 2');
  const found = problems(text);
  assert.deepEqual(found, [
    'plan.yaml:10: goals[0].objectives[0].target: the target must be a number, "+15%", "-10%", "+500", "x2", "double", "triple", "halve" or "from 2,000 to 3,000"',
    'plan.yaml:12: goals[0].objectives[0].due: "end of Q3" is not an exact date: write the day as YYYY-MM-DD',
    'plan.yaml:22: goals[0].objectives[0].objectives[0].weigth: unknown field (did you mean "weight"?)',
  ]);
  // The error thrown carries the first problem as its location, for the one-line CLI error.
  try {
    parsePlan(text, 'plan.yaml');
  } catch (e) {
    assert.ok(e instanceof PlanFileError);
    assert.equal(
      e.oneLine(),
      'plan.yaml:10: goals[0].objectives[0].target: the target must be a number, "+15%", "-10%", "+500", "x2", "double", "triple", "halve" or "from 2,000 to 3,000" (and 2 more)',
    );
  }
});

test('due before start, a baseline contradicting "from … to …", a duplicate id', () => {
  const text = PLAN.replace('due: 2026-09-30\n        owner', 'due: 2026-06-30\n        owner')
    .replace('            kpi: leads\n', '            kpi: leads\n            baseline: 1800\n')
    .replace('id: leads-q3', 'id: more-leads');
  assert.deepEqual(problems(text), [
    'plan.yaml:12: goals[0].objectives[0].due: due must be after start (2026-07-01)',
    'plan.yaml:18: goals[0].objectives[0].objectives[0].baseline: baseline 1800 contradicts the target, which starts from 2000',
  ]);
  // Ids are checked once the structure is valid.
  const dup = PLAN.replace('id: leads-q3', 'id: more-leads');
  assert.deepEqual(problems(dup), [
    'plan.yaml:15: goals[0].objectives[0].objectives[0].id: id "more-leads" is used twice (first at goals[0])',
  ]);
});

test('broken YAML is reported with its line', () => {
  const text = PLAN.replace('        kpi: mqls', '        kpi: [mqls');
  const found = problems(text);
  assert.ok(found.length > 0);
  assert.match(found[0] ?? '', /^plan\.yaml:\d+: not valid YAML: /);
  assert.deepEqual(problems('just text'), ['plan.yaml:1: a plan is a map with a `goals:` list']);
});

test('a draft for lint accepts objectives that are not SMART yet, but not unknown fields', () => {
  const draft = parseDraftPlan(`goals:
  - id: blog
    title: Blog
    objectives:
      - id: more-posts
        title: More blog posts
        owner: [ana, ben]
        due: Q3
`);
  assert.deepEqual(draft.goals[0]?.objectives[0], {
    id: 'more-posts',
    title: 'More blog posts',
    owner: ['ana', 'ben'],
    due: 'Q3',
  });
  assert.deepEqual(problems('goals: []\nfoo: 1\n', parseDraftPlan), ['plan.yaml:2: foo: unknown field']);
});

test('export round-trips: YAML → records → YAML → the same records', () => {
  const plan = parsePlan(PLAN);
  const at = new Date('2026-01-01T00:00:00Z');
  const records = flattenPlan(plan, at);
  const yaml = planToYaml(buildPlan(records));
  assert.match(yaml, /^# Northstar goal plan/);
  assert.deepEqual(flattenPlan(parsePlan(yaml), at), records);
  // Objectives linked to no goal survive the trip too (as top-level objectives).
  const orphan = parsePlan(
    `goals: []\nobjectives:\n  - {id: lonely, title: Lonely, kpi: leads, target: 5, start: 2026-01-01, due: 2026-01-31, owner: ana}\n`,
  );
  const orphanRecords = flattenPlan(orphan, at);
  assert.equal(orphanRecords[0]?.parentId, null);
  assert.deepEqual(flattenPlan(parsePlan(planToYaml(buildPlan(orphanRecords))), at), orphanRecords);
});
