import assert from 'node:assert/strict';
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeSegment, encodeRecord, JournalWriter, listSegments, readJournal } from './journal.js';

const dir = () => join(mkdtempSync(join(tmpdir(), 'ns-journal-')), 'db.journal');
const text = (r: { payload: Buffer }) => r.payload.toString();

test('records come back in order with their sequence numbers', async () => {
  const d = dir();
  const j = JournalWriter.open(d, 7);
  const a = j.append(Buffer.from('first'));
  const b = j.append(Buffer.from('second'));
  await Promise.all([a.synced, b.synced]);
  assert.deepEqual([a.seq, b.seq], [7, 8]);
  assert.deepEqual(
    readJournal(d).map((r) => [r.seq, text(r)]),
    [
      [7, 'first'],
      [8, 'second'],
    ],
  );
  await j.close(6);
  assert.equal(listSegments(d).length, 1, 'unapplied records are kept at close');
});

test('a torn tail ends the segment at the last whole record', () => {
  const one = encodeRecord(1, Buffer.from('alpha'));
  const two = encodeRecord(2, Buffer.from('beta'));
  const buf = Buffer.concat([one, two]);
  for (let cut = one.length; cut < buf.length; cut++) {
    const { records, end, torn } = decodeSegment(buf.subarray(0, cut));
    assert.deepEqual(records.map(text), ['alpha'], `cut at ${cut}`);
    assert.equal(end, one.length);
    assert.equal(torn, cut > one.length);
  }
  assert.deepEqual(decodeSegment(buf).records.map(text), ['alpha', 'beta']);
});

test('a flipped bit in the payload or the sequence number fails the CRC', () => {
  const rec = encodeRecord(5, Buffer.from('payload'));
  for (const at of [8, 20]) {
    const bad = Buffer.from(rec);
    bad[at] = (bad[at] ?? 0) ^ 1;
    const { records, torn } = decodeSegment(bad);
    assert.deepEqual(records, [], `bit at ${at}`);
    assert.equal(torn, true);
  }
});

test('segments rotate at their size and are deleted once every record in them is applied', async () => {
  const d = dir();
  const j = JournalWriter.open(d, 1, 100);
  for (let i = 0; i < 6; i++) await j.append(Buffer.alloc(60, i)).synced;
  // 76 bytes a record: each segment closes after its second record.
  assert.deepEqual(
    listSegments(d).map((s) => s.firstSeq),
    [1, 3, 5, 7],
  );
  j.release(3);
  assert.deepEqual(
    listSegments(d).map((s) => s.firstSeq),
    [3, 5, 7],
    'segment 3-4 still holds record 4',
  );
  j.release(4);
  assert.deepEqual(
    readJournal(d).map((r) => r.seq),
    [5, 6],
  );
  await j.close(6);
  assert.deepEqual(listSegments(d), [], 'all applied: nothing left');
});

test('damage inside an older segment keeps that segment aside and reads on', async () => {
  const d = dir();
  const j = JournalWriter.open(d, 1, 10);
  for (let i = 1; i <= 3; i++) await j.append(Buffer.from(`r${i}`)).synced;
  await j.close(0);
  const [first] = listSegments(d);
  assert.ok(first);
  truncateSync(first.path, 10);
  const told: string[] = [];
  assert.deepEqual(readJournal(d, (m) => told.push(m)).map(text), ['r2', 'r3']);
  assert.match(told[0] ?? '', /damaged after byte 0/);
  assert.ok(existsSync(`${first.path}.damaged`));
});

test('a journal is not written over: segments left by a crash must be replayed first', async () => {
  const d = dir();
  const j = JournalWriter.open(d, 1);
  await j.append(Buffer.from('x')).synced;
  assert.throws(() => JournalWriter.open(d, 2), /not yet replayed/);
  await j.close(1);
  assert.doesNotThrow(() => JournalWriter.open(d, 2));
});

test('many appends at once share fsyncs and all land', async () => {
  const d = dir();
  const j = JournalWriter.open(d, 1);
  const all = Array.from({ length: 500 }, (_, i) => j.append(Buffer.from(`m${i}`)));
  await Promise.all(all.map((a) => a.synced));
  const got = readJournal(d);
  assert.equal(got.length, 500);
  assert.deepEqual(
    got.map((r) => r.seq),
    all.map((a) => a.seq),
  );
  assert.equal(text(got[499] as { payload: Buffer }), 'm499');
  // Bytes after the last record (a crash mid-append) are ignored on read.
  const seg = listSegments(d)[0]?.path as string;
  appendFileSync(seg, Buffer.from([1, 2, 3]));
  assert.equal(readJournal(d).length, 500);
  writeFileSync(join(d, 'notes.txt'), 'not a segment');
  assert.equal(readJournal(d).length, 500);
  assert.ok(readdirSync(d).includes('notes.txt'));
  assert.ok(readFileSync(seg).length > 0);
  await j.close(0);
});

test('after a failed write the journal goes on in a new segment, and nothing written is lost', async () => {
  const d = dir();
  const j = JournalWriter.open(d, 1);
  await j.append(Buffer.from('before')).synced;
  // The segment's file descriptor goes bad under the writer (as a failing disk would make it).
  const { closeSync } = await import('node:fs');
  closeSync((j as unknown as { fd: number }).fd);
  await assert.rejects(j.append(Buffer.from('lost')).synced);
  await j.append(Buffer.from('after')).synced;
  assert.equal(listSegments(d).length, 2);
  assert.deepEqual(readJournal(d).map(text), ['before', 'after']);
  await j.close(0);
});

test('a record whose fsync failed is cut off again, so it is never replayed', async () => {
  const fs = await import('node:fs');
  const { syncBuiltinESMExports } = await import('node:module');
  const d = dir();
  const j = JournalWriter.open(d, 1);
  await j.append(Buffer.from('kept')).synced;
  const real = fs.default.fdatasync;
  let fail = true;
  fs.default.fdatasync = ((fd: number, cb: (e: NodeJS.ErrnoException | null) => void) => {
    if (!fail) return real(fd, cb);
    fail = false;
    cb(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
  }) as typeof real;
  syncBuiltinESMExports();
  try {
    await assert.rejects(j.append(Buffer.from('refused')).synced, /EIO/);
    await j.append(Buffer.from('next')).synced;
  } finally {
    fs.default.fdatasync = real;
    syncBuiltinESMExports();
  }
  const told: string[] = [];
  assert.deepEqual(readJournal(d, (m) => told.push(m)).map(text), ['kept', 'next']);
  assert.deepEqual(told, [], 'no segment reported damaged');
  await j.close(0);
});
