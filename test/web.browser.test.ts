/**
 * The dashboard in Debian's Chromium against a real server on a small demo: first-run setup and sign-in
 * through the forms, overview figures equal to the JSON API's, a period change, a chart tooltip, a
 * check-in, a CSV export, every page at 1280x800 and 390x844 (screenshots to $NORTHSTAR_SHOTS, not the
 * repository) with no horizontal scroll on the phone, sign-out back to the form, no console errors.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import { grainFor, periodRange, todayIn } from '../src/web/lib/period.js';
import { runCli, tempStore } from './fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = process.env.NORTHSTAR_SHOTS ?? mkdtempSync(join(tmpdir(), 'northstar-shots-'));
let app: FastifyInstance;
let store: DuckDbStore;
let base = '';
let readKey = '';
let dataDir = '';

before(async () => {
  const t = await tempStore();
  store = t.store;
  dataDir = t.dataDir;
  const demo = await runCli(store, t.dataDir, ['demo', '--scale', 'small']);
  assert.equal(demo.code, 0, demo.err);
  readKey = (await runCli(store, t.dataDir, ['keys', 'create', '--kind', 'read'])).out.trim();
  app = await buildApp({ store, dataDir: t.dataDir });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
after(async () => {
  await app?.close();
  await store?.close();
});

async function apiJson<T>(path: string): Promise<T> {
  const res = await fetch(base + path, { headers: { authorization: `Bearer ${readKey}` } });
  assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`);
  return (await res.json()) as T;
}

const en = (v: number, opts: Intl.NumberFormatOptions = {}) => new Intl.NumberFormat('en-US', opts).format(v);

test('signed in through the form, the dashboard shows the API figures on every page', async (t) => {
  const setup = await fetch(`${base}/api/v1/auth/setup`);
  if (setup.status === 404) {
    // The access contract's endpoints come from the trust branch; this test runs once it is merged.
    t.skip('no /api/v1/auth endpoints in this build (trust branch not merged)');
    return;
  }
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run the README's test command (npm run test:all)`);
  mkdirSync(SHOTS, { recursive: true });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const problems: string[] = [];
  try {
    const ctx = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'en-US',
      timezoneId: 'America/Los_Angeles', // not the workspace's zone: dates must not follow it
      acceptDownloads: true,
    });
    const page = await ctx.newPage();
    page.on('console', (m) => {
      // A signed-out browser's /auth/me answers 401 by contract; Chromium logs every failed load.
      if (m.type() === 'error' && !m.location().url.endsWith('/api/v1/auth/me'))
        problems.push(`console: ${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', (r) => {
      // The only expected refusal: /auth/me before signing in.
      if (r.status() >= 400 && !r.url().endsWith('/api/v1/auth/me'))
        problems.push(`HTTP ${r.status()} ${r.url()}`);
    });

    // Signed out: only the form, no figure.
    await page.goto(base);
    await page.waitForSelector('form[aria-labelledby="signin-title"]');
    assert.equal(await page.locator('.tile, .card').count(), 0);
    await page.screenshot({ path: join(SHOTS, 'signin-1280.png') });

    // First run: the setup form creates the administrator and signs in.
    const email = 'admin@example.test';
    const password = 'correct horse battery staple';
    if ((await fetch(`${base}/api/v1/auth/setup`).then((r) => r.json())).needed) {
      await page.fill('input[name=name]', 'Ada Admin');
      await page.fill('input[name=email]', email);
      await page.fill('input[name=password]', password);
      await page.click('button[type=submit]');
      await page.waitForSelector('.top');
      await page.click('text=Sign out');
      await page.waitForSelector('form[aria-labelledby="signin-title"]');
    }
    // The sign-in form: a wrong password is refused, the right one opens the overview.
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', 'wrong password');
    await page.click('button[type=submit]');
    await page.waitForSelector('text=Wrong e-mail or password.');
    problems.splice(0); // the refused sign-in's 401 is expected
    await page.fill('input[name=password]', password);
    await page.click('button[type=submit]');
    await page.waitForSelector('.tiles .tile[data-kpi=revenue] .v[data-value]:not([data-value=""])');

    // Overview figures equal the JSON API's for the same period (this quarter, workspace zone).
    // The demo's own zone (America/New_York): periods and "today" are the workspace's.
    const tz = (await store.listWorkspaces()).find((w) => w.slug === 'demo')?.timezone ?? 'UTC';
    assert.notEqual(tz, 'UTC');
    const q = periodRange('quarter', todayIn(tz));
    type Kpi = { rows: Array<{ value: number | null }> };
    const revenue = await apiJson<Kpi>(`/api/v1/kpis/revenue?from=${q.from}&to=${q.to}&grain=total`);
    const shown = await page.getAttribute('.tile[data-kpi=revenue] .v', 'data-value');
    assert.equal(Number(shown), revenue.rows[0]?.value);
    // … and the CLI's, for the same period.
    const cli = await runCli(
      store,
      dataDir,
      ['kpi', 'revenue', '--from', q.from, '--to', q.to, '--format', 'json'],
      {
        inServer: true,
      },
    );
    assert.equal(cli.code, 0, cli.err);
    assert.equal(Number(shown), (JSON.parse(cli.out) as Kpi).rows[0]?.value);
    const leads = await apiJson<Kpi>(`/api/v1/kpis/leads?from=${q.from}&to=${q.to}&grain=total`);
    await page.waitForSelector('.tile[data-kpi=leads] .v[data-value]:not([data-value=""])');
    assert.equal(await page.textContent('.tile[data-kpi=leads] .v'), en(leads.rows[0]?.value ?? Number.NaN));
    type Goals = {
      as_of: string;
      objectives: Array<{ id: string; actual: number | null; start: string; due: string }>;
    };
    const goals = await apiJson<Goals>(`/api/v1/goals?as_of=${q.to}`);
    await page.waitForSelector('.card.obj');
    const cards = await page.$$eval('.card.obj', (els) =>
      els.map((e) => [
        e.getAttribute('data-objective'),
        e.querySelector('[data-actual]')?.getAttribute('data-actual'),
      ]),
    );
    assert.ok(cards.length > 0);
    for (const [id, actual] of cards) {
      const o = goals.objectives.find((x) => x.id === id);
      assert.equal(actual === '' ? null : Number(actual), o?.actual ?? null, `objective ${id}`);
    }
    await page.screenshot({ path: join(SHOTS, 'overview-1280.png'), fullPage: true });

    // Change the period: the URL holds it and the figures follow.
    await page.selectOption('select[aria-label=Period]', 'last_quarter');
    await page.waitForURL(/period=last_quarter/);
    const lq = periodRange('last_quarter', todayIn(tz));
    const lastRevenue = await apiJson<Kpi>(`/api/v1/kpis/revenue?from=${lq.from}&to=${lq.to}&grain=total`);
    await page.waitForFunction(
      (v) => document.querySelector('.tile[data-kpi=revenue] .v')?.getAttribute('data-value') === String(v),
      lastRevenue.rows[0]?.value,
    );

    // An objective: its detail, and an editor's check-in.
    const first = cards[0]?.[0] ?? '';
    await page.goto(`${base}/goals/${first}`);
    await page.waitForSelector(`article.objective[data-objective="${first}"]`);
    await page.fill('textarea', 'Browser test check-in');
    await page.click('text=Add check-in');
    await page.waitForSelector('text=Browser test check-in');
    const checkins = await apiJson<{ checkins: Array<{ note: string }> }>(`/api/v1/goals/${first}/checkins`);
    assert.ok(checkins.checkins.some((c) => c.note === 'Browser test check-in'));
    await page.screenshot({ path: join(SHOTS, 'goals-1280.png'), fullPage: true });

    // A KPI chart: hover a point and read the tooltip, which shows the API's value for that period.
    const y = periodRange('year', todayIn(tz));
    await page.goto(`${base}/kpis/leads?period=year`);
    const canvas = page.locator('.chart canvas').first();
    await canvas.waitFor();
    await page.waitForTimeout(300);
    const box = await canvas.boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    const tip = page.locator('.ns-tip');
    await tip.waitFor({ timeout: 5000 });
    const tipText = (await tip.textContent()) ?? '';
    const series = await apiJson<{ rows: Array<{ period: string; value: number | null }> }>(
      `/api/v1/kpis/leads?from=${y.from}&to=${y.to}&grain=${grainFor(y)}`,
    );
    const label = (d: string) =>
      new Intl.DateTimeFormat('en-US', {
        timeZone: 'UTC',
        year: 'numeric',
        month: 'short',
        day: 'numeric',
      }).format(new Date(`${d}T00:00:00Z`));
    const hovered = series.rows.find((r) => tipText.includes(label(r.period)));
    assert.ok(hovered, `tooltip "${tipText}" names a period of the series`);
    assert.ok(tipText.includes(en(hovered.value ?? 0)), `tooltip "${tipText}" shows ${hovered.value}`);

    // CSV export: the server's file, every row of the query.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Export CSV')]);
    const csv = readFileSync((await download.path()) ?? '', 'utf8')
      .trim()
      .split('\n');
    assert.equal(csv[0], 'period,leads');
    assert.equal(csv.length - 1, series.rows.length);
    assert.equal(csv[1], `${series.rows[0]?.period},${series.rows[0]?.value}`);

    // Every page, wide and on a phone: no horizontal scroll on the phone.
    const pages = [
      '/',
      '/goals',
      `/goals/${first}`,
      '/kpis',
      '/kpis/revenue?by=channel&chart=bar',
      '/funnel',
      '/attribution',
      '/planning?goal=1000000',
      '/boards/sales',
      '/boards/saas',
      '/boards/response?wall=1',
      // The data page asks GET /api/v1/stats, which the use-cases branch adds: until then its 404
      // would count as a failed request here.
    ];
    for (const [w, h] of [
      [1280, 800],
      [390, 844],
    ] as const) {
      await page.setViewportSize({ width: w, height: h });
      for (const p of pages) {
        await page.goto(base + p);
        await page.waitForLoadState('networkidle');
        await page.screenshot({
          path: join(SHOTS, `${p.replace(/[^a-z0-9]+/gi, '_') || 'home'}-${w}.png`),
          fullPage: true,
        });
        const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(scroll <= w, `${p} at ${w} px scrolls sideways (${scroll} px wide)`);
      }
    }

    // Signing out (from a page with the navigation: wall mode has none) leaves only the form.
    await page.goto(base);
    await page.click('text=Sign out');
    await page.waitForSelector('form[aria-labelledby="signin-title"]');
    await page.goto(base);
    await page.waitForSelector('form[aria-labelledby="signin-title"]');
    assert.equal(await page.locator('.tile, .card').count(), 0);
    assert.equal(problems.length, 0, problems.join('\n'));
  } finally {
    await browser.close();
  }
});
