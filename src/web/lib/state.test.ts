import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DEFAULT_VIEW, PAGES, PAGES_WITH_ID, parseView, viewUrl } from './state.js';

test('a URL parses into the view and back, defaults left out', () => {
  const v = parseView('/kpis/leads', '?period=year&by=channel&chart=bar&junk=1');
  assert.deepEqual(v, {
    ...DEFAULT_VIEW,
    page: 'kpis',
    id: 'leads',
    period: 'year',
    by: 'channel',
    chart: 'bar',
  });
  assert.equal(viewUrl(v), '/kpis/leads?period=year&by=channel&chart=bar');
  assert.equal(viewUrl(parseView('/', '')), '/');
  const plan = parseView('/planning', '?goal=1000000&uplift=7');
  assert.deepEqual([plan.page, plan.goal, plan.uplift], ['planning', 1000000, 7]);
  assert.equal(viewUrl(plan), '/planning?goal=1000000&uplift=7');
  const custom = parseView('/', '?period=custom&from=2026-01-01&to=2026-02-01&ws=acme&wall=1');
  assert.equal(viewUrl(custom), '/?period=custom&from=2026-01-01&to=2026-02-01&ws=acme&wall=1');
});

test('bad values fall back to the defaults instead of breaking the page', () => {
  const v = parseView('/nowhere/x', '?period=decade&by=color&order=9&lookback=-1&conversion=x');
  assert.deepEqual(v, { ...DEFAULT_VIEW });
  // A custom period without both dates is the default period.
  assert.equal(parseView('/', '?period=custom&from=2026-01-01').period, 'quarter');
  assert.equal(parseView('/', '?period=custom&from=2026-02-30&to=2026-03-01').period, 'quarter');
  assert.equal(parseView('/boards/nope', '').id, 'sales');
});

test('the server answers index.html on every page path the app routes', () => {
  const server = readFileSync(new URL('../../server/routes/home.route.ts', import.meta.url), 'utf8');
  for (const page of PAGES) {
    assert.ok(server.includes(`'/${page}'`), `home.route.ts lacks '/${page}'`);
    if (PAGES_WITH_ID.includes(page)) assert.match(server, new RegExp(`'/${page}/:[a-z]+'`));
  }
});
