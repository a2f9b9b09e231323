import assert from 'node:assert/strict';
import { test } from 'node:test';
import { problemsByField } from './smart.fields.js';

const ok = { ok: true, reason: '' };
test('failing letters go beside the field their reason names; plan problems beside their path', () => {
  const smart = {
    specific: { ok: false, reason: 'no KPI: "Grow" says what, but not which number shows it' },
    measurable: { ok: false, reason: 'no owner: name who answers for it' },
    achievable: { ok: null, reason: 'not judged' },
    relevant: ok,
    time_bound: { ok: false, reason: 'the due date 2026-01-01 is not after the start 2026-07-01' },
  };
  assert.deepEqual(problemsByField({ smart }), {
    kpi: ['specific: no KPI: "Grow" says what, but not which number shows it'],
    owner: ['measurable: no owner: name who answers for it'],
    due: ['time-bound: the due date 2026-01-01 is not after the start 2026-07-01'],
  });
  assert.deepEqual(
    problemsByField(
      {
        smart: {
          ...smart,
          specific: ok,
          measurable: ok,
          time_bound: { ok: false, reason: 'start is not a date' },
        },
      },
      [{ field: 'goals[0].objectives[0].kpi', message: 'unknown KPI "x"' }],
    ),
    { kpi: ['unknown KPI "x"'], start: ['time-bound: start is not a date'] },
  );
  assert.deepEqual(problemsByField(null), {});
});
