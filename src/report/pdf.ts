/**
 * A board as PDF: Debian's Chromium (through playwright-core) opens the board's share view on this
 * server with a short-lived internal share token and prints it. One render at a time: a second waits,
 * a third is refused (each is a browser process of ~150 MB).
 */
import { existsSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import type { ShareBoard } from '../domain/share.js';

/** Where Chromium is looked for (env NORTHSTAR_CHROMIUM overrides; Debian's package by default). */
export function chromiumPath(): string {
  return process.env.NORTHSTAR_CHROMIUM || '/usr/bin/chromium';
}

/** The refusal when Chromium is missing: what to install. */
export function needChromium(path = chromiumPath()): UserError {
  return new UserError(
    `PDF export needs Chromium at ${path}: install it (apt-get install chromium) or set NORTHSTAR_CHROMIUM to its path`,
    {},
    503,
  );
}

export interface PdfRequest {
  /** The server's own address, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  /** A live share token for the board (the caller makes and deletes it). */
  token: string;
  board: ShareBoard;
  /** The board's period (`quarter`, `month`, …; `custom` with from/to), as the dashboard's URL takes it. */
  period?: string;
  from?: string;
  to?: string;
  /** `pdf` (A4 landscape, default) or `png` (the whole board as one image, 1280 px wide). */
  format?: 'pdf' | 'png';
}

let busy: Promise<unknown> = Promise.resolve();
let waiting = 0;

/** The share view's URL for printing (the period in the query, print layout on). */
export function printUrl(r: PdfRequest): string {
  const u = new URL(`/share/${r.token}`, r.baseUrl);
  if (r.period) u.searchParams.set('period', r.period);
  if (r.from) u.searchParams.set('from', r.from);
  if (r.to) u.searchParams.set('to', r.to);
  u.searchParams.set('print', '1');
  return u.href;
}

/**
 * Prints the board to an A4 landscape PDF (or a PNG); the page must render without a script error.
 *
 * @example
 * const pdf = await renderBoardPdf({ baseUrl: 'http://127.0.0.1:8080', token, board: 'sales' });
 * pdf.subarray(0, 4).toString(); // '%PDF'
 */
export async function renderBoardPdf(r: PdfRequest): Promise<Buffer> {
  const exe = chromiumPath();
  if (!existsSync(exe)) throw needChromium(exe);
  if (waiting >= 2)
    throw new UserError('a PDF is being rendered already; try again in a few seconds', {}, 429);
  waiting++;
  const run = busy.then(() => render(exe, r));
  busy = run.catch(() => undefined);
  try {
    return await run;
  } finally {
    waiting--;
  }
}

async function render(exe: string, r: PdfRequest): Promise<Buffer> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: exe, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(printUrl(r), { waitUntil: 'networkidle', timeout: 60_000 });
    // The share view marks itself ready once every query on it has answered and charts are drawn.
    await page.waitForSelector('[data-share-ready="1"]', { timeout: 60_000 });
    if (errors.length) throw new Error(`the board failed to render: ${errors[0]}`);
    if (r.format === 'png') return Buffer.from(await page.screenshot({ fullPage: true, type: 'png' }));
    const pdf = await page.pdf({ format: 'A4', landscape: true, printBackground: true, scale: 0.7 });
    return Buffer.from(pdf);
  } finally {
    await browser.close();
  }
}
