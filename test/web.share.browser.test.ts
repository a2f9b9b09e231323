// Share links in a real browser (issue 15): a link opened signed out shows its board's figures and
// nothing else, with no console error and no failed request; a chart downloads as PNG; the board
// renders server-side as PDF (and PNG) through Debian's Chromium. Screenshots of the share view at
// 1280x800 and 390x844 go to $NORTHSTAR_SHOTS/share (else a temporary directory).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import { periodRange, todayIn } from '../src/web/lib/period.js';
import { runCli, tempStore } from './fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(process.env.NORTHSTAR_SHOTS ?? mkdtempSync(join(tmpdir(), 'northstar-shots-')), 'share');
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

test('a share link opened signed out shows its board only; a chart downloads as PNG', async (t) => {
  if (!existsSync(CHROMIUM)) return t.skip(`${CHROMIUM} is missing: apt-get install chromium`);
  const made = await runCli(store, dataDir, ['share', 'create', '--board', 'sales', '--format', 'json']);
  assert.equal(made.code, 0, made.err);
  const { token, path } = JSON.parse(made.out) as { token: string; path: string };
  assert.match(token, /^ns_s_[A-Za-z0-9_-]{32}$/);
  mkdirSync(SHOTS, { recursive: true });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const problems: string[] = [];
  try {
    for (const [w, h] of [
      [1280, 800],
      [390, 844],
    ] as const) {
      const ctx = await browser.newContext({
        viewport: { width: w, height: h },
        locale: 'en-US',
        acceptDownloads: true,
      });
      const page = await ctx.newPage();
      page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
      page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
      page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
      page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()}: ${r.url()}`));
      await page.goto(base + path, { waitUntil: 'networkidle' });
      await page.waitForSelector('[data-share-ready="1"]', { timeout: 60_000 });
      // The board's figures, as the API gives them to the same link: the revenue tile's value.
      const shown = await page.locator('.tile[data-kpi="revenue"] .v').getAttribute('data-value');
      const tz = (await store.getWorkspace('demo'))?.timezone ?? 'UTC';
      const q = periodRange('quarter', todayIn(tz));
      const api = await fetch(`${base}/api/v1/kpis/revenue?from=${q.from}&to=${q.to}&grain=total`, {
        headers: { authorization: `Share ${token}` },
      });
      const value = ((await api.json()) as { rows: Array<{ value: number }> }).rows[0]?.value;
      assert.ok(typeof value === 'number' && value > 0, `revenue ${value}`);
      assert.equal(Number(shown), value, 'the tile shows what the API answers the link');
      const text = await page.locator('.tile[data-kpi="revenue"] .v').textContent();
      assert.equal(text, `$${Math.round(value).toLocaleString('en-US')}`);
      assert.equal(await page.locator('nav[aria-label="Pages"]').count(), 0, 'no navigation to other pages');
      assert.equal(await page.locator('text=Sign out').count(), 0);
      await page.screenshot({ path: join(SHOTS, `share-sales-${w}x${h}.png`), fullPage: true });
      if (w === 1280) {
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.locator('.kpi-chart .png').first().click(),
        ]);
        const file = join(SHOTS, 'chart.png');
        await download.saveAs(file);
        const png = readFileSync(file);
        assert.equal(png.subarray(1, 4).toString(), 'PNG');
        assert.ok(png.length > 5_000, `chart PNG of ${png.length} bytes`);
      }
      await ctx.close();
    }
  } finally {
    await browser.close();
  }
  assert.deepEqual(problems, []);
  // Other API routes refuse the link; another page of the app asks for a sign-in.
  const refused: number[] = [];
  for (const u of [
    '/api/v1/attribution',
    '/api/v1/keys',
    '/api/v1/stats',
    '/api/v1/auth/me',
    '/api/v1/boards/sales.pdf',
  ])
    refused.push((await fetch(base + u, { headers: { authorization: `Share ${token}` } })).status);
  assert.deepEqual(refused, [403, 403, 403, 403, 403]);
  // Revoked: the next request fails, and the page says so.
  const revoked = await runCli(store, dataDir, ['share', 'revoke', token.slice(0, 10)]);
  assert.equal(revoked.code, 0, revoked.err);
  const after = await fetch(`${base}/api/v1/share`, { headers: { authorization: `Share ${token}` } });
  assert.equal(after.status, 401);
  console.log(`share view screenshots in ${SHOTS}`);
});

test('a board renders as PDF and PNG on the server (Chromium), through the API and the CLI', async (t) => {
  if (!existsSync(CHROMIUM)) return t.skip(`${CHROMIUM} is missing: apt-get install chromium`);
  const started = Date.now();
  const res = await fetch(`${base}/api/v1/boards/sales.pdf?period=year`, {
    headers: { authorization: `Bearer ${readKey}` },
  });
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  const pdf = Buffer.from(await res.arrayBuffer());
  assert.equal(pdf.subarray(0, 4).toString(), '%PDF');
  assert.ok(pdf.length > 20_000 && pdf.length < 20_000_000, `PDF of ${pdf.length} bytes`);
  console.log(`sales board PDF: ${pdf.length} bytes in ${Date.now() - started} ms`);
  // The internal link it used is gone, and none is listed.
  assert.equal(
    (await store.forWorkspace((await store.getWorkspace('demo'))!).listShares()).filter((s) => !s.revokedAt)
      .length,
    0,
  );
  const png = await fetch(`${base}/api/v1/boards/overview.png`, {
    headers: { authorization: `Bearer ${readKey}` },
  });
  assert.equal(png.status, 200);
  const image = Buffer.from(await png.arrayBuffer());
  assert.equal(image.subarray(1, 4).toString(), 'PNG');
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(join(SHOTS, 'board-overview.png'), image);
  writeFileSync(join(SHOTS, 'board-sales.pdf'), pdf);
  const bad = await fetch(`${base}/api/v1/boards/secret.pdf`, {
    headers: { authorization: `Bearer ${readKey}` },
  });
  assert.equal(bad.status, 404);
  const out = join(SHOTS, 'cli-saas.pdf');
  mkdirSync(SHOTS, { recursive: true });
  const cli = await runCli(store, dataDir, ['report', 'pdf', '--board', 'saas', '--out', out]);
  assert.equal(cli.code, 0, cli.err);
  assert.equal(readFileSync(out).subarray(0, 4).toString(), '%PDF');
});
