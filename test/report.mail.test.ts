// The weekly report (issue 15): settings through the CLI (the SMTP password never shown again), a test
// send that arrives at a local SMTP receiver started here with the board's PDF attached and the right
// subject, the same through the admin API, the webhook, the schedule's due check, and objective
// alerts by e-mail. PDF rendering needs /usr/bin/chromium (skipped with the install command without it).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { SMTPServer } from 'smtp-server';
import { recordStatuses } from '../src/goals/alerts.js';
import { lastSlot } from '../src/report/schedule.js';
import { buildApp } from '../src/server/app.js';
import type { DuckDbStore } from '../src/store/duckdb/duckdb.store.js';
import type { WorkspaceStore } from '../src/store/store.js';
import { sendDueReports } from '../src/usecases/report.usecase.js';
import { runCli, tempStore } from './fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
let store: DuckDbStore;
let dataDir = '';
let ws: WorkspaceStore;
let smtp: SMTPServer;
let smtpPort = 0;
let hook: Server;
let hookUrl = '';
const mails: Array<{ from: string; to: string[]; raw: string; user: string | undefined }> = [];
const posts: unknown[] = [];

before(async () => {
  const t = await tempStore();
  store = t.store;
  dataDir = t.dataDir;
  const demo = await runCli(store, dataDir, ['demo', '--scale', 'small']);
  assert.equal(demo.code, 0, demo.err);
  ws = store.forWorkspace((await store.getWorkspace('demo'))!);
  smtp = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    onAuth(auth, _session, cb) {
      if (auth.username === 'mailer' && auth.password === 's3cret pass')
        return cb(null, { user: auth.username });
      return cb(new Error('wrong SMTP password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: session.user as string | undefined,
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      posts.push(JSON.parse(body));
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
});
after(async () => {
  await new Promise<void>((resolve) => smtp.close(resolve));
  hook.close();
  await store.close();
});

/** A message's Subject, unfolded, its RFC 2047 Q-encoded words decoded. */
function subjectOf(raw: string): string {
  const line = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw)?.[1] ?? '';
  return line
    .replace(/\r?\n[ \t]+/g, ' ')
    .replace(/=\?UTF-8\?Q\?([^?]*)\?=\s*/gi, (_m, q: string) =>
      Buffer.from(
        q
          .replace(/_/g, ' ')
          .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
        'latin1',
      ).toString('utf8'),
    )
    .trim();
}

/** The attachment part of a raw message: its headers and decoded bytes. */
function attachment(raw: string): { headers: string; bytes: Buffer } | null {
  const m =
    /Content-Type: application\/pdf[^\r\n]*(?:\r?\n[ \t][^\r\n]*|\r?\n[A-Za-z-]+:[^\r\n]*)*\r?\n\r?\n([A-Za-z0-9+/=\r\n]+)/.exec(
      raw,
    );
  if (!m) return null;
  return {
    headers: m[0].slice(0, m[0].indexOf('\n\n') > 0 ? m[0].indexOf('\n\n') : 200),
    bytes: Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64'),
  };
}

test('report settings: the CLI sets SMTP and recipients; the password is stored, never shown', async () => {
  const set = await runCli(
    store,
    dataDir,
    [
      'report',
      'settings',
      '--enable',
      '--board',
      'sales',
      '--weekday',
      'monday',
      '--hour',
      '8',
      '--to',
      'ann@x.test, ben@x.test',
      '--smtp-host',
      '127.0.0.1',
      '--smtp-port',
      String(smtpPort),
      '--smtp-user',
      'mailer',
      '--smtp-password-stdin',
      '--from',
      'northstar@x.test',
      '--format',
      'json',
    ],
    { stdin: 's3cret pass\n' },
  );
  assert.equal(set.code, 0, set.err);
  const shown = JSON.parse(set.out);
  assert.deepEqual(shown.recipients, ['ann@x.test', 'ben@x.test']);
  assert.deepEqual(shown.smtp, {
    host: '127.0.0.1',
    port: smtpPort,
    secure: false,
    user: 'mailer',
    from: 'northstar@x.test',
    password_set: true,
  });
  assert.doesNotMatch(set.out, /s3cret/);
  const audit = (await ws.listAudit(5)).find((a) => a.action === 'report_settings');
  assert.ok(audit);
  assert.doesNotMatch(JSON.stringify(audit), /s3cret/);
  const bad = await runCli(store, dataDir, ['report', 'settings', '--weekday', 'someday']);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /weekday/);
  const badMail = await runCli(store, dataDir, ['report', 'settings', '--to', 'not-an-address']);
  assert.equal(badMail.code, 1);
});

test('report send --now: the mail arrives with the PDF attached and the right subject', async (t) => {
  if (!existsSync(CHROMIUM)) return t.skip(`${CHROMIUM} is missing: apt-get install chromium`);
  mails.length = 0;
  const sent = await runCli(store, dataDir, ['report', 'send', '--now', '--format', 'json']);
  assert.equal(sent.code, 0, sent.err);
  assert.deepEqual(JSON.parse(sent.out).emailed, ['ann@x.test', 'ben@x.test']);
  assert.equal(mails.length, 1);
  const m = mails[0]!;
  assert.equal(m.from, 'northstar@x.test');
  assert.deepEqual(m.to, ['ann@x.test', 'ben@x.test']);
  assert.equal(m.user, 'mailer', 'signed in with the stored password');
  assert.match(subjectOf(m.raw), /^Northstar weekly report: demo, sales board \(\d{4}-\d{2}-\d{2}\)$/);
  const pdf = attachment(m.raw);
  assert.ok(pdf, 'a PDF attachment');
  assert.match(m.raw, /filename="?demo-sales\.pdf/);
  assert.equal(pdf.bytes.subarray(0, 4).toString(), '%PDF');
  assert.ok(pdf.bytes.length > 20_000, `PDF of ${pdf.bytes.length} bytes`);
  console.log(`weekly report mail: ${m.raw.length} bytes, PDF ${pdf.bytes.length} bytes`);
});

test('the admin API sends it too, to the webhook as well; the schedule sends once per slot', async (t) => {
  if (!existsSync(CHROMIUM)) return t.skip(`${CHROMIUM} is missing: apt-get install chromium`);
  const app: FastifyInstance = await buildApp({ store, dataDir, cliToken: 'report-test-token-0123456789' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const h = { authorization: 'Bearer report-test-token-0123456789', 'x-northstar-workspace': 'demo' };
  try {
    const put = await fetch(`${base}/api/v1/report/settings`, {
      method: 'PUT',
      headers: { ...h, 'content-type': 'application/json' },
      body: JSON.stringify({ webhook: hookUrl, board: 'saas' }),
    });
    assert.equal(put.status, 200, await put.clone().text());
    assert.equal((await put.json()).smtp.password_set, true, 'the password is kept');
    const unknown = await fetch(`${base}/api/v1/report/settings`, {
      method: 'PUT',
      headers: { ...h, 'content-type': 'application/json' },
      body: JSON.stringify({ smtp: { pasword: 'typo' } }),
    });
    assert.equal(unknown.status, 400);
    const read = await (await fetch(`${base}/api/v1/report/settings`, { headers: h })).text();
    assert.doesNotMatch(read, /s3cret/);
    mails.length = 0;
    posts.length = 0;
    const send = await fetch(`${base}/api/v1/report/send`, { method: 'POST', headers: h });
    assert.equal(send.status, 200, await send.clone().text());
    assert.equal(mails.length, 1);
    assert.match(mails[0]!.raw, /saas board/);
    assert.equal(posts.length, 1);
    const post = posts[0] as { board: string; file: { name: string; base64: string } };
    assert.equal(post.board, 'saas');
    assert.equal(Buffer.from(post.file.base64, 'base64').subarray(0, 4).toString(), '%PDF');
    // The schedule: Monday 08:00 in the demo's zone has passed this week or not; either way one
    // check sends at most once, and a second check right after sends nothing.
    mails.length = 0;
    await ws.putReportSettings({ ...(await ws.getReportSettings())!.settings, webhook: null });
    // The first Monday 08:00 (demo's zone) after the sends above, an hour later.
    const tz = (await store.getWorkspace('demo'))!.timezone;
    const monday = new Date(
      lastSlot(new Date(Date.now() + 7 * 86_400_000), 'monday', 8, tz).getTime() + 3_600_000,
    );
    const first = await sendDueReports(store, base, monday);
    assert.deepEqual(first, [{ workspace: 'demo', ok: true }]);
    assert.deepEqual(await sendDueReports(store, base, new Date(monday.getTime() + 60_000)), []);
    assert.equal(mails.length, 1);
  } finally {
    await app.close();
  }
});

test('objective alerts go by e-mail through the same settings', async () => {
  await ws.putReportSettings({ ...(await ws.getReportSettings())!.settings, alerts_by_email: true });
  mails.length = 0;
  const { delivery } = await recordStatuses(
    ws,
    [
      {
        id: 'mail-obj',
        title: 'Leads by mail',
        kpi: 'leads',
        unit: 'count',
        owner: 'o@x.test',
        status: 'off_track',
        actual: 10,
        expected: 50,
        forecast: 20,
        target: 100,
        progress: 0.1,
        due: '2026-12-31',
      } as never,
    ],
    '2026-12-01',
  );
  const reports = await delivery;
  assert.ok(
    reports.some((r) => r.url.startsWith('mailto:') && r.ok),
    JSON.stringify(reports),
  );
  assert.equal(mails.length, 1);
  assert.match(subjectOf(mails[0]!.raw), /^Northstar: "Leads by mail" is off track$/);
});
