/**
 * An uploaded import file (HTTP) onto disk, streamed: the raw request body, or the file part of a
 * `multipart/form-data` body (RFC 7578), parsed here without a dependency. The import reads the file
 * twice, so a request stream has to land somewhere first. Text fields of a form come back too.
 */

import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../core/errors.js';

export interface SpooledUpload {
  path: string;
  /** The form's file name, when multipart sent one. */
  fileName: string | null;
  /** The part's (or body's) content type. */
  contentType: string | null;
  /** Text fields of a multipart form (`preset`, `skip_invalid`). */
  fields: Record<string, string>;
  bytes: number;
  /** Removes the temporary file. */
  dispose(): void;
}

/** Largest upload accepted. */
export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

/**
 * Writes a request body to a temporary file.
 *
 * @example
 * const up = await spoolUpload(req.raw, req.headers['content-type']);
 * try { await runImport(ws, { kind, file: await importFile(up.path, { name: up.fileName ?? 'upload.csv' }) }); }
 * finally { up.dispose(); }
 */
export async function spoolUpload(
  body: AsyncIterable<Buffer | string>,
  contentType: string | undefined,
  maxBytes = MAX_UPLOAD_BYTES,
): Promise<SpooledUpload> {
  const dir = mkdtempSync(join(tmpdir(), 'ns-upload-'));
  const path = join(dir, 'upload');
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  const out = createWriteStream(path);
  const closed = new Promise<void>((resolve) => out.once('close', () => resolve()));
  out.on('error', () => undefined); // reported through `once(out, 'finish')` / the catch below
  try {
    const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    let r: Omit<SpooledUpload, 'path' | 'dispose'>;
    if (type === 'multipart/form-data') {
      const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
      const b = boundary?.[1] ?? boundary?.[2];
      if (!b) throw new UserError('multipart/form-data without a boundary');
      r = await new MultipartSpooler(b, out, maxBytes).run(body);
    } else {
      let bytes = 0;
      for await (const chunk of body) {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        bytes += buf.length;
        if (bytes > maxBytes) throw new UserError(`upload over ${maxBytes} bytes`, {}, 413);
        if (!out.write(buf)) await once(out, 'drain');
      }
      r = { fileName: null, contentType: type || null, fields: {}, bytes };
    }
    out.end();
    await once(out, 'finish');
    return { ...r, path, dispose };
  } catch (e) {
    out.destroy();
    await closed;
    dispose();
    throw e;
  }
}

interface PartHead {
  name: string | null;
  fileName: string | null;
  contentType: string | null;
}

const CRLF2 = Buffer.from('\r\n\r\n');

/** Streams the first file part to `out`; small text parts are kept as fields. */
class MultipartSpooler {
  private readonly delimiter: Buffer;
  private buf: Buffer = Buffer.from('\r\n'); // so the first boundary looks like every other one
  private state: 'preamble' | 'head' | 'body' | 'done' = 'preamble';
  private part: PartHead | null = null;
  private field: Buffer[] = [];
  private fileDone = false;
  private writing = false;
  private bytes = 0;
  private readonly result: Omit<SpooledUpload, 'path' | 'dispose'> = {
    fileName: null,
    contentType: null,
    fields: {},
    bytes: 0,
  };

  constructor(
    boundary: string,
    private readonly out: WriteStream,
    private readonly maxBytes: number,
  ) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  async run(body: AsyncIterable<Buffer | string>): Promise<Omit<SpooledUpload, 'path' | 'dispose'>> {
    for await (const chunk of body) {
      this.bytes += chunk.length;
      if (this.bytes > this.maxBytes) throw new UserError(`upload over ${this.maxBytes} bytes`, {}, 413);
      this.buf = Buffer.concat([this.buf, typeof chunk === 'string' ? Buffer.from(chunk) : chunk]);
      await this.drain(false);
    }
    await this.drain(true);
    if (this.state !== 'done') throw new UserError('multipart body ends before its closing boundary');
    if (!this.fileDone) throw new UserError('multipart body has no file part (send the file as "file")');
    return this.result;
  }

  private async drain(final: boolean): Promise<void> {
    for (;;) {
      if (this.state === 'done') return;
      if (this.state === 'preamble' || this.state === 'body') {
        const at = this.buf.indexOf(this.delimiter);
        if (at === -1) {
          // Keep what could be the start of a delimiter; the rest is part content.
          const keep = final ? 0 : this.delimiter.length - 1;
          if (this.buf.length > keep) {
            await this.content(this.buf.subarray(0, this.buf.length - keep));
            this.buf = this.buf.subarray(this.buf.length - keep);
          }
          return;
        }
        await this.content(this.buf.subarray(0, at));
        const after = at + this.delimiter.length;
        if (this.buf.length < after + 2) {
          if (final) throw new UserError('truncated multipart body');
          this.buf = this.buf.subarray(at); // wait for the two bytes after the boundary
          return;
        }
        this.endPart();
        const tail = this.buf.subarray(after, after + 2).toString('latin1');
        this.buf = this.buf.subarray(after + 2);
        this.state = tail === '--' ? 'done' : 'head';
        continue;
      }
      // head: up to the blank line
      const end = this.buf.indexOf(CRLF2);
      if (end === -1) {
        if (final || this.buf.length > 16 * 1024) throw new UserError('bad multipart part headers');
        return;
      }
      this.part = parseHead(this.buf.subarray(0, end).toString('utf8'));
      this.writing = !this.fileDone && (this.part.fileName !== null || this.part.name === 'file');
      if (this.writing) {
        this.result.fileName = this.part.fileName;
        this.result.contentType = this.part.contentType;
      }
      this.buf = this.buf.subarray(end + 4);
      this.state = 'body';
    }
  }

  private async content(data: Buffer): Promise<void> {
    if (this.state !== 'body' || data.length === 0) return;
    if (this.writing) {
      this.result.bytes += data.length;
      if (!this.out.write(Buffer.from(data))) await once(this.out, 'drain');
    } else if (this.part?.name && this.part.fileName === null) {
      this.field.push(Buffer.from(data));
      if (this.field.reduce((n, b) => n + b.length, 0) > 64 * 1024)
        throw new UserError('form field too long');
    }
  }

  private endPart(): void {
    if (this.state !== 'body') return;
    if (this.writing) this.fileDone = true;
    else if (this.part?.name && this.part.fileName === null)
      this.result.fields[this.part.name] = Buffer.concat(this.field).toString('utf8');
    this.writing = false;
    this.field = [];
    this.part = null;
  }
}

function parseHead(text: string): PartHead {
  const head: PartHead = { name: null, fileName: null, contentType: null };
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'content-type') head.contentType = value.split(';')[0]?.trim().toLowerCase() ?? null;
    if (key === 'content-disposition') {
      head.name = /(?:^|;)\s*name="([^"]*)"/i.exec(value)?.[1] ?? null;
      const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(value)?.[1];
      head.fileName = star ? decodeFileName(star.trim()) : (/filename="([^"]*)"/i.exec(value)?.[1] ?? null);
    }
  }
  return head;
}

/** RFC 5987's percent-encoded `filename*`; a malformed one is the client's mistake, answered 400. */
function decodeFileName(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new UserError(`malformed filename* in the upload: "${encoded.slice(0, 60)}"`, { field: 'file' });
  }
}
