import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PlanFileError } from '../goals/plan.yaml.js';
import { parseRules, rulesToYaml } from './rules.yaml.js';

const GOOD = `models:
  - id: demand
    thresholds: {mql: 50, sql: 90}
    fit:
      - {id: senior, field: job_title, matches: "head|chief", points: 10}
    behaviour:
      - {id: demo, event: Demo Requested, points: 40, once: true}
      - {id: pricing, page: [/pricing, /plans/*], points: 5, cap: 15, half_life_days: 30}
  - id: product
    lifecycle: false
    thresholds: {mql: 40, sql: 80}
    behaviour:
      - {id: opens, email: open, points: 1, cap: 5, half_life_days: 7}
sla:
  sql_follow_up_hours: 48
  mqls_per_month: 100
`;

function problems(text: string, known: Set<string> | null = null): string[] {
  try {
    parseRules(text, 'r.yaml', known);
  } catch (e) {
    if (e instanceof PlanFileError) return e.lines();
    throw e;
  }
  assert.fail('expected problems');
}

test('a valid file parses; the first model moves stages when none says so; SLA defaults fill in', () => {
  const r = parseRules(GOOD, 'r.yaml', new Set(['Demo Requested']));
  assert.deepEqual(
    r.models.map((m) => [m.id, m.lifecycle]),
    [
      ['demand', true],
      ['product', false],
    ],
  );
  assert.deepEqual(r.models[0]?.behaviour[1], {
    id: 'pricing',
    page: ['/pricing', '/plans/*'],
    points: 5,
    cap: 15,
    halfLifeDays: 30,
  });
  assert.deepEqual(r.sla, {
    sqlFollowUpHours: 48,
    followUpEvents: ['Call Logged', 'Meeting Booked'],
    mqlsPerMonth: 100,
  });
});

test('export → parse gives the same rules', () => {
  const r = parseRules(GOOD);
  assert.deepEqual(parseRules(rulesToYaml(r)), r);
});

test('bad input: every problem with its line, and nothing returned', () => {
  const bad = `models:
  - id: m
    thresholds: {mql: 60, sql: 40}
    fit:
      - {id: a, field: shoe_size, in: [x], points: 5}
      - {id: b, field: job_title, points: 5}
    behaviour:
      - {id: c, event: Demo Requestd, points: 10}
      - {id: d, page: /pricing, points: 5, half_life_days: -7}
      - {id: e, email: opened, points: 1, colour: red}
`;
  assert.deepEqual(problems(bad), ['r.yaml:10: models[0].behaviour[2].colour: unknown field']);
  const fixedKey = bad.replace(', colour: red', '');
  assert.deepEqual(problems(fixedKey, new Set(['Demo Requested'])), [
    'r.yaml:3: models[0].thresholds.sql: the SQL threshold (40) is below the MQL threshold (60): a lead could never move in order; make sql >= mql',
    'r.yaml:5: models[0].fit[0].field: unknown field "shoe_size"; use one of industry, job_title, company_size, country, market, company, email_domain, original_source, owner or properties.NAME',
    'r.yaml:6: models[0].fit[1].id: a fit rule needs exactly one test: in, matches or between',
    'r.yaml:8: models[0].behaviour[0].event: unknown event "Demo Requestd": the workspace has never received it (check the spelling)',
    'r.yaml:9: models[0].behaviour[1].half_life_days: half_life_days must be more than 0 days (got -7); leave it out for no decay',
    'r.yaml:10: models[0].behaviour[2].email: unknown e-mail event "opened"; use one of sent, delivered, open, click, reply, unsubscribe, subscribe, bounce',
  ]);
});

test('YAML syntax errors, duplicate ids, two lifecycle models and a source-less rule are caught', () => {
  assert.match(problems('models:\n  - id: m\n   bad: [')[0] ?? '', /^r\.yaml:\d+: not valid YAML/);
  const dup = `models:
  - id: m
    lifecycle: true
    thresholds: {mql: 1, sql: 2}
    behaviour:
      - {id: x, points: 1}
      - {id: x, event: A, points: 1}
  - id: m
    lifecycle: true
    thresholds: {mql: 1, sql: 2}
`;
  assert.deepEqual(problems(dup), [
    'r.yaml:2: models: only one model may have lifecycle: true (it moves the stages)',
    'r.yaml:6: models[0].behaviour[0].id: a behaviour rule needs exactly one of event, page or email',
    'r.yaml:7: models[0].behaviour[1].id: rule id "x" is used twice in model m',
    'r.yaml:8: models[1].id: model id "m" is used twice',
  ]);
});

test('an alias bomb is refused as a file problem, not expanded', () => {
  const level = (name: string, of: string) => `${name}: &${name} [${Array(10).fill(`*${of}`).join(',')}]`;
  const text = `a: &a [${Array(10).fill('"x"').join(',')}]\n${level('b', 'a')}\n${level('c', 'b')}\n${level('d', 'c')}\n`;
  assert.throws(
    () => parseRules(text, 'bomb.yaml'),
    (e: unknown) => e instanceof PlanFileError && /alias count/.test(e.message),
  );
});
