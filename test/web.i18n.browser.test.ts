/**
 * The dashboard's languages in Debian's Chromium against a real server: a browser that prefers Polish
 * gets the Polish sign-in form and pages; a user's choice (Korean) re-renders at once, is kept for that
 * user after a reload, and formats numbers and dates too. Screenshots go to $NORTHSTAR_SHOTS.
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
import { runCli, tempStore } from './fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = process.env.NORTHSTAR_SHOTS ?? mkdtempSync(join(tmpdir(), 'northstar-shots-'));
let app: FastifyInstance;
let store: DuckDbStore;
let base = '';

before(async () => {
  const t = await tempStore();
  store = t.store;
  const demo = await runCli(store, t.dataDir, ['demo', '--scale', 'small']);
  assert.equal(demo.code, 0, demo.err);
  app = await buildApp({ store, dataDir: t.dataDir });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
after(async () => {
  await app?.close();
  await store?.close();
});

test('the UI speaks the browser language, then the language the user picks, kept per user', async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run the README's test command (npm run test:all)`);
  mkdirSync(SHOTS, { recursive: true });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const problems: string[] = [];
  try {
    const ctx = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'pl-PL',
      acceptDownloads: true,
    });
    const page = await ctx.newPage();
    page.on('console', (m) => {
      // A signed-out browser's /auth/me answers 401 by contract; Chromium logs every failed load.
      if (m.type() === 'error' && !m.location().url.endsWith('/api/v1/auth/me'))
        problems.push(`console: ${m.text()} (${m.location().url})`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/api/v1/auth/me'))
        problems.push(`HTTP ${r.status()} ${r.url()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`${base}/`);
    // First run: the setup form, in Polish.
    await page.getByRole('heading', { name: 'Konfiguracja Northstar' }).waitFor();
    await page.getByLabel('Imię i nazwisko').fill('Ola');
    await page.getByLabel('E-mail').fill('ola@example.com');
    await page.getByLabel('Hasło').fill('a long enough password');
    await page.getByRole('button', { name: 'Utwórz administratora' }).click();
    const nav = page.getByRole('navigation', { name: 'Strony' });
    await nav.getByRole('link', { name: 'Przegląd' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'pl');
    await nav.getByRole('link', { name: 'Cele' }).click();
    await page.getByRole('heading', { name: 'Cele' }).waitFor();
    await page.locator('.tree .badge').first().waitFor({ timeout: 60_000 });
    const badges = await page.locator('.tree .badge').allTextContents();
    assert.ok(
      badges.some((b) =>
        ['Zgodnie z planem', 'Zagrożony', 'Poza planem', 'Zrealizowany', 'Nierozpoczęty'].includes(b),
      ),
      `statuses in Polish: ${badges.slice(0, 5).join(', ')}`,
    );
    await page.screenshot({ path: join(SHOTS, 'i18n-pl-goals-1280.png'), fullPage: true });

    // The user's choice: Korean, at once, and kept after a reload.
    await page.getByLabel('Język').selectOption('ko');
    await page.getByRole('heading', { name: '목표' }).waitFor();
    await page.reload();
    await page.getByRole('navigation', { name: '페이지' }).getByRole('link', { name: '개요' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ko');
    await page.getByRole('link', { name: '목표' }).click();
    await page.locator('.tree .badge').first().waitFor({ timeout: 60_000 });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SHOTS, 'i18n-ko-goals-390.png'), fullPage: true });
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(scroll <= 0, `no sideways scroll at 390 px in Korean (${scroll} px)`);
    // French on the funnel and attribution pages, at desktop width.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByLabel('언어').selectOption('fr');
    await page.getByRole('link', { name: 'Entonnoir' }).click();
    await page.getByRole('columnheader', { name: 'Conversion' }).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(SHOTS, 'i18n-fr-funnel-1280.png'), fullPage: true });
    await page.getByRole('link', { name: 'Attribution' }).click();
    await page.getByRole('columnheader', { name: 'Dépenses' }).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(SHOTS, 'i18n-fr-attribution-1280.png'), fullPage: true });
    // Any table as CSV: the attribution table as the API gave it, every model's columns.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Exporter en CSV' }).click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8').split('\n');
    assert.match(csv[0] ?? '', /^channel,spend,first_touch,first_touch_value,first_touch_roi,last_touch,/);
    assert.ok(csv.length > 3, `${csv.length} lines`);
    // Russian on the planning page: the reverse funnel from a typed goal.
    await page.getByLabel('Langue').selectOption('ru');
    await page.getByRole('link', { name: 'Планирование' }).click();
    await page.getByLabel('Новая цель по выручке (USD)').fill('1000000');
    await page.getByRole('button', { name: 'Рассчитать' }).click();
    await page.getByRole('columnheader', { name: 'Цена лида' }).waitFor({ timeout: 60_000 });
    await page.getByRole('columnheader', { name: 'Почему' }).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(SHOTS, 'i18n-ru-planning-1280.png'), fullPage: true });
    await ctx.close();
  } finally {
    await browser.close();
  }
  assert.deepEqual(problems, []);
});
