import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KpiResult } from '../lib/types.js';
import {
  attributionOption,
  expectedMarker,
  kpiOption,
  objectiveOption,
  sampleDates,
  sparkOption,
} from './options.js';

const fmt = { locale: 'en-US', currency: 'USD' };
type Series = { name: string; type: string; data: Array<number | null>; stack?: string };

test('sample dates spread evenly and include both ends', () => {
  assert.deepEqual(sampleDates('2026-01-01', '2026-01-31', 4), [
    '2026-01-01',
    '2026-01-11',
    '2026-01-21',
    '2026-01-31',
  ]);
  assert.deepEqual(sampleDates('2026-01-01', '2026-01-02', 5), ['2026-01-01', '2026-01-02']);
  assert.deepEqual(sampleDates('2026-01-05', '2026-01-05', 5), ['2026-01-05']);
});

test('expected marker: progress over pace, else elapsed share of the window', () => {
  assert.equal(
    expectedMarker({ progress: 0.2, pace: 0.5, start: '2026-01-01', due: '2026-01-10' }, '2026-01-05'),
    0.4,
  );
  assert.equal(
    expectedMarker({ progress: null, pace: null, start: '2026-01-01', due: '2026-01-10' }, '2026-01-05'),
    0.5,
  );
  assert.equal(
    expectedMarker({ progress: 0.9, pace: 0.5, start: '2026-01-01', due: '2026-01-10' }, '2026-01-05'),
    1,
  );
  assert.equal(
    expectedMarker({ progress: null, pace: null, start: '2026-01-01', due: '2026-01-10' }, '2026-03-05'),
    1,
  );
});

test('a KPI by channel: one series per channel, periods sorted, gaps null, largest first', () => {
  const r: KpiResult = {
    kpi: 'leads',
    unit: 'count',
    from: '2026-01-01',
    to: '2026-02-28',
    grain: 'month',
    by: 'channel',
    rows: [
      { period: '2026-02-01', channel: 'Email', value: 5 },
      { period: '2026-01-01', channel: 'Email', value: 3 },
      { period: '2026-01-01', channel: 'Paid Search', value: 20 },
    ],
  };
  const o = kpiOption(r, 'bar', fmt) as { xAxis: { data: string[] }; series: Series[] };
  assert.deepEqual(o.xAxis.data, ['Jan 1, 2026', 'Feb 1, 2026']);
  assert.deepEqual(
    o.series.map((s) => [s.name, s.data, s.stack]),
    [
      ['Paid Search', [20, null], 'all'],
      ['Email', [3, 5], 'all'],
    ],
  );
  const byOwner = kpiOption(
    {
      ...r,
      grain: 'total',
      by: 'owner',
      rows: [
        { period: '2026-01-01', owner: 'ana', value: 2 },
        { period: '2026-01-01', owner: 'ben', value: 9 },
      ],
    },
    'bar',
    fmt,
    'Leads',
  ) as { yAxis: { data: string[] }; series: Series[] };
  assert.deepEqual(byOwner.yAxis.data, ['ben', 'ana']);
  assert.deepEqual(
    byOwner.series.map((s) => [s.name, s.data]),
    [['Leads', [9, 2]]],
  );
  const line = kpiOption({ ...r, unit: 'ratio' }, 'line', fmt) as { series: Series[] };
  assert.equal(line.series[0]?.type, 'line');
  assert.equal(line.series[0]?.stack, undefined);
});

test('attribution: one bar series per model, channels ordered by total credit', () => {
  const o = attributionOption(
    [
      {
        model: 'first_touch',
        rows: [
          { channel: 'Email', value: 10 },
          { channel: 'Ads', value: 30 },
        ],
      },
      { model: 'linear', rows: [{ channel: 'Email', value: 25 }] },
    ],
    'value',
    'channel',
    fmt,
  ) as { xAxis: { data: string[] }; series: Series[] };
  assert.deepEqual(o.xAxis.data, ['Email', 'Ads']);
  assert.deepEqual(
    o.series.map((s) => [s.name, s.data]),
    [
      ['first_touch', [10, 30]],
      ['linear', [25, 0]],
    ],
  );
});

test('objective chart: measured points, the target at the due date, forecast from the last actual', () => {
  const o = objectiveOption(
    [
      { date: '2026-01-01', actual: 0, expected: 0, forecast: null },
      { date: '2026-01-15', actual: 40, expected: 50, forecast: 80 },
    ],
    { target: 100, due: '2026-01-31', unit: 'count' },
    fmt,
  ) as { xAxis: { data: string[] }; series: Series[] };
  assert.deepEqual(o.xAxis.data, ['2026-01-01', '2026-01-15', '2026-01-31']);
  const by = Object.fromEntries(o.series.map((s) => [s.name, s.data]));
  assert.deepEqual(by.Actual, [0, 40, null]);
  assert.deepEqual(by.Expected, [0, 50, 100]);
  assert.deepEqual(by.Forecast, [null, 40, 80]);
  assert.deepEqual(by.Target, [null, null, 100]);
  assert.deepEqual((sparkOption([1, null, 3]) as { series: Series[] }).series[0]?.data, [1, null, 3]);
});
