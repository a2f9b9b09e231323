/**
 * The tracking journal: an append-only log of acknowledged tracking writes beside the DuckDB file
 * (`<db>.journal/`), so the server can answer 200 once a write is fsynced here, and apply it to DuckDB
 * afterwards in larger transactions that a checkpoint may stall without stalling any client.
 *
 * A segment is `<first seq, 16 digits>.log`: records of a 16-byte header (payload length u32, CRC-32
 * u32 of sequence number and payload, sequence number u64, all little-endian) and the payload. A torn
 * tail (a crash mid-write) fails its length or CRC check and ends the segment; nothing after it was
 * acknowledged, because an acknowledgement waits for the fsync that covers the whole record.
 */
import {
  closeSync,
  existsSync,
  fdatasync,
  fdatasyncSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  write,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

const HEADER = 16;
const SEGMENT = /^(\d{16})\.log$/;
/** A record larger than this is a corrupt header, not a real write (groups are a few MB at most). */
const MAX_RECORD = 1 << 30;

export interface JournalRecord {
  seq: number;
  payload: Buffer;
}

/** `<db>.journal`, the directory that holds a database file's journal. */
export function journalDir(dbPath: string): string {
  return `${dbPath}.journal`;
}

function segmentName(firstSeq: number): string {
  return `${String(firstSeq).padStart(16, '0')}.log`;
}

/** The segment files of `dir`, oldest first, with the sequence number each starts at. */
export function listSegments(dir: string): Array<{ path: string; firstSeq: number }> {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => ({ f, m: SEGMENT.exec(f) }))
    .filter((x): x is { f: string; m: RegExpExecArray } => x.m !== null)
    .map(({ f, m }) => ({ path: join(dir, f), firstSeq: Number(m[1]) }))
    .sort((a, b) => a.firstSeq - b.firstSeq);
}

export function encodeRecord(seq: number, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(HEADER + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeBigUInt64LE(BigInt(seq), 8);
  out.writeUInt32LE(crc32(payload, crc32(out.subarray(8, 16))), 4);
  payload.copy(out, HEADER);
  return out;
}

/**
 * The valid records of one segment and the byte offset where they end. Reading stops at the first
 * record that is cut short or fails its CRC (`torn` is then true).
 *
 * @example
 * const { records, torn } = decodeSegment(readFileSync(path)); // records[0].seq, records[0].payload
 */
export function decodeSegment(buf: Buffer): { records: JournalRecord[]; end: number; torn: boolean } {
  const records: JournalRecord[] = [];
  let at = 0;
  while (at < buf.length) {
    if (buf.length - at < HEADER) return { records, end: at, torn: true };
    const len = buf.readUInt32LE(at);
    const crc = buf.readUInt32LE(at + 4);
    if (len > MAX_RECORD || buf.length - at - HEADER < len) return { records, end: at, torn: true };
    const payload = buf.subarray(at + HEADER, at + HEADER + len);
    if (crc32(payload, crc32(buf.subarray(at + 8, at + 16))) !== crc) return { records, end: at, torn: true };
    records.push({ seq: Number(buf.readBigUInt64LE(at + 8)), payload });
    at += HEADER + len;
  }
  return { records, end: at, torn: false };
}

/**
 * Every intact record in `dir`, oldest first. A damaged record ends its segment; in any segment but
 * the last that is not a torn tail but damage on disk, so the segment is kept as `.damaged` for a
 * person to look at and `onDamage` is told.
 */
export function readJournal(dir: string, onDamage: (msg: string) => void = () => undefined): JournalRecord[] {
  const segments = listSegments(dir);
  const out: JournalRecord[] = [];
  for (const [i, s] of segments.entries()) {
    const { records, end, torn } = decodeSegment(readFileSync(s.path));
    for (const r of records) out.push(r);
    if (torn && i < segments.length - 1) {
      renameSync(s.path, `${s.path}.damaged`);
      onDamage(`journal segment ${s.path} is damaged after byte ${end}; kept as ${s.path}.damaged`);
    }
  }
  return out;
}

/**
 * Keeps a record that could not be applied as `quarantine/<seq>.rec` (its payload) and `<seq>.txt`
 * (why), so one bad write cannot block the journal, and returns the path.
 */
export function quarantineRecord(dir: string, seq: number, payload: Buffer, reason: string): string {
  const q = join(dir, 'quarantine');
  mkdirSync(q, { recursive: true, mode: 0o700 });
  const path = join(q, `${seq}.rec`);
  writeDurably(path, payload);
  writeDurably(join(q, `${seq}.txt`), `${new Date().toISOString()} ${reason}\n`);
  syncDir(q);
  return path;
}

function writeDurably(path: string, data: Buffer | string): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    writeFileSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncDir(dir: string): void {
  const d = openSync(dir, 'r');
  try {
    fsyncSync(d);
  } finally {
    closeSync(d);
  }
}

/** Deletes every segment of `dir` (after a replay has applied them all). */
export function clearJournal(dir: string): void {
  for (const s of listSegments(dir)) rmSync(s.path, { force: true });
}

interface Waiting {
  buf: Buffer;
  resolve: () => void;
  reject: (e: Error) => void;
}

/**
 * Appends records with group sync: records that arrive while an fsync runs are written and synced
 * together by the next one, so many concurrent writes cost one fsync.
 *
 * @example
 * const j = JournalWriter.open(journalDir(path), nextSeq);
 * const { seq, synced } = j.append(payload);
 * await synced; // durable: safe to acknowledge
 * j.release(appliedSeq); // segments wholly applied are deleted
 */
export class JournalWriter {
  private fd: number;
  private segSize = 0;
  private segFirst: number;
  private nextSeq: number;
  private queue: Waiting[] = [];
  private running = false;
  /** Set after a failed write or fsync: the segment may end in a partial record, so start another. */
  private broken = false;
  /** Closed segments and the last sequence number each holds. */
  private readonly closedSegments: Array<{ path: string; lastSeq: number }> = [];

  private constructor(
    private readonly dir: string,
    nextSeq: number,
    private readonly segmentBytes: number,
  ) {
    this.nextSeq = nextSeq;
    this.segFirst = nextSeq;
    this.fd = this.openSegment(nextSeq);
  }

  /** Starts a new segment at `nextSeq` (which must exceed every sequence number already applied). */
  static open(dir: string, nextSeq: number, segmentBytes = 64 * 1024 * 1024): JournalWriter {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Appending after a torn tail would hide every later record: replay and clear the journal first.
    if (listSegments(dir).length) throw new Error(`${dir} holds segments not yet replayed`);
    return new JournalWriter(dir, nextSeq, segmentBytes);
  }

  private openSegment(first: number): number {
    const path = join(this.dir, segmentName(first));
    const fd = openSync(path, 'wx', 0o600);
    this.segSize = 0;
    // The new file's name must survive a crash too, or its records would vanish with it.
    syncDir(this.dir);
    return fd;
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** Queues `payload`; `synced` resolves once it is on disk (rejects if the write or fsync failed). */
  append(payload: Buffer): { seq: number; synced: Promise<void> } {
    const seq = this.nextSeq++;
    const buf = encodeRecord(seq, payload);
    const synced = new Promise<void>((resolve, reject) => this.queue.push({ buf, resolve, reject }));
    if (!this.running) void this.pump();
    return { seq, synced };
  }

  private async pump(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0);
        try {
          if (this.broken) this.rotate();
          this.broken = false;
          // At explicit offsets: after a cut-back the file position is past the end.
          let at = this.segSize;
          for (const w of batch) {
            await writeAll(this.fd, w.buf, at);
            at += w.buf.length;
          }
          await new Promise<void>((res, rej) => fdatasync(this.fd, (e) => (e ? rej(e) : res())));
          for (const w of batch) w.resolve();
          this.segSize = at;
          if (this.segSize >= this.segmentBytes) this.rotate();
        } catch (e) {
          // Records the client is told failed must not be replayed later: cut them off again. If
          // even that fails, nothing may follow them in this segment: the next write starts a new
          // one (a disk that was full works again without a restart). A crash before the cut-off
          // can still leave them to be replayed, the one case where a failed write is stored.
          this.broken = !this.cutBack();
          const err = e instanceof Error ? e : new Error(String(e));
          for (const w of batch) w.reject(err);
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** Truncates the segment to its last synced byte; false if that failed. */
  private cutBack(): boolean {
    try {
      ftruncateSync(this.fd, this.segSize);
      fdatasyncSync(this.fd);
      return true;
    } catch {
      return false;
    }
  }

  private rotate(): void {
    if (this.fd >= 0) {
      try {
        closeSync(this.fd);
      } catch {
        // The descriptor that failed may fail to close too; the segment is done with either way.
      }
      this.closedSegments.push({
        path: join(this.dir, segmentName(this.segFirst)),
        lastSeq: this.nextSeq - 1,
      });
      this.fd = -1;
    }
    // Named after the next sequence number, which no record has yet: a failed rotation retried later
    // picks a later name.
    const first = this.nextSeq;
    this.fd = this.openSegment(first);
    this.segFirst = first;
  }

  /** Deletes closed segments whose every record is applied (sequence number <= `appliedSeq`). */
  release(appliedSeq: number): void {
    while (this.closedSegments.length && (this.closedSegments[0]?.lastSeq ?? Infinity) <= appliedSeq) {
      const s = this.closedSegments.shift();
      if (s) rmSync(s.path, { force: true });
    }
  }

  /** Waits for queued records, closes the file, and deletes every segment if all is applied. */
  async close(appliedSeq: number): Promise<void> {
    while (this.running) await new Promise((r) => setTimeout(r, 1));
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    this.release(appliedSeq);
    if (appliedSeq >= this.lastSeq) rmSync(join(this.dir, segmentName(this.segFirst)), { force: true });
  }
}

function writeAll(fd: number, buf: Buffer, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (off: number) =>
      write(fd, buf, off, buf.length - off, position + off, (e, n) => {
        if (e) reject(e);
        else if (off + n < buf.length) step(off + n);
        else resolve();
      });
    step(0);
  });
}
