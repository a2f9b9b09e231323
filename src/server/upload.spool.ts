/**
 * An uploaded import file onto disk, streamed: the raw request body, or the `file` part of a
 * `multipart/form-data` form (parsed by @fastify/multipart). The import reads a file twice (a check,
 * then the write), so the stream lands in a private temporary folder first, with a size limit, and
 * the text fields of a form (`preset`, `skip_invalid`) come back beside it. HTTP stays here; the
 * import use case only ever sees a file.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { UserError } from '../core/errors.js';

export interface SpooledUpload {
  path: string;
  /** The form's file name, when multipart sent one (only ever used to tell the format). */
  fileName: string | null;
  /** The part's (or body's) content type, without parameters. */
  contentType: string | null;
  /** Text fields of a multipart form. */
  fields: Record<string, string>;
  bytes: number;
  /** Removes the temporary file. */
  dispose(): void;
}

/** Largest upload accepted (2 GiB). */
export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

/**
 * Counts bytes through a stream and fails it past `max` with a 413.
 *
 * @example
 * await pipeline(body, byteLimit(1024, { bytes: 0 }), createWriteStream(path)); // over 1 KiB: a 413
 */
export function byteLimit(max: number, counted: { bytes: number }): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      counted.bytes += chunk.length;
      if (counted.bytes > max)
        done(new UserError(`the upload is over ${max.toLocaleString('en-US')} bytes`, {}, 413));
      else done(null, chunk);
    },
  });
}

/** Runs `fn` once the request has ended and a second has passed; returns a cancel. */
function afterEnd(req: FastifyRequest, fn: () => void): () => void {
  let timer: NodeJS.Timeout | null = null;
  const arm = () => {
    timer ??= setTimeout(fn, 1000);
  };
  if (req.raw.readableEnded) arm();
  else req.raw.once('end', arm);
  return () => {
    req.raw.off('end', arm);
    if (timer) clearTimeout(timer);
  };
}

/**
 * Writes the upload of `req` to a temporary file.
 *
 * @example
 * const up = await spoolUpload(req);
 * try { await runImport(ws, { kind, file: await importFile(up.path, { name: up.fileName ?? 'upload.csv' }) }); }
 * finally { up.dispose(); }
 */
export async function spoolUpload(req: FastifyRequest, maxBytes = MAX_UPLOAD_BYTES): Promise<SpooledUpload> {
  const dir = mkdtempSync(join(tmpdir(), 'ns-upload-'));
  const path = join(dir, 'upload');
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  const counted = { bytes: 0 };
  try {
    if (req.isMultipart()) {
      const fields: Record<string, string> = {};
      let file: { fileName: string | null; contentType: string | null } | null = null;
      const parts = req.parts({ limits: { fileSize: maxBytes, files: 1, fields: 20, fieldSize: 10_000 } });
      // Not `for await`: leaving it early would wait for the parser, which waits for a form cut short.
      const iterator = parts[Symbol.asyncIterator]();
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        const part = next.value;
        if (part.type === 'field') {
          if (typeof part.value === 'string') fields[part.fieldname] = part.value;
          continue;
        }
        if (part.fieldname !== 'file' || file) {
          part.file.resume();
          continue;
        }
        // A form cut short (no closing boundary) leaves the part's stream open after the request
        // has ended: it is failed a moment after the end instead of waiting forever.
        let fail: (e: Error) => void = () => undefined;
        const failed = new Promise<never>((_, reject) => {
          fail = reject;
        });
        const cut = afterEnd(req, () => {
          const e = new UserError('the form ends before its closing boundary', { field: 'file' });
          part.file.destroy(e);
          fail(e);
        });
        try {
          await Promise.race([
            pipeline(part.file, byteLimit(maxBytes, counted), createWriteStream(path, { mode: 0o600 })),
            failed,
          ]);
        } finally {
          cut();
        }
        if (part.file.truncated)
          throw new UserError(`the upload is over ${maxBytes.toLocaleString('en-US')} bytes`, {}, 413);
        file = { fileName: part.filename || null, contentType: part.mimetype?.toLowerCase() || null };
      }
      if (!file) throw new UserError('the form has no `file` part', { field: 'file' });
      return { ...file, fields, bytes: counted.bytes, path, dispose };
    }
    const type =
      String(req.headers['content-type'] ?? '')
        .split(';')[0]
        ?.trim()
        .toLowerCase() || null;
    const body = (req.body as NodeJS.ReadableStream | undefined) ?? req.raw;
    await pipeline(body, byteLimit(maxBytes, counted), createWriteStream(path, { mode: 0o600 }));
    return { fileName: null, contentType: type, fields: {}, bytes: counted.bytes, path, dispose };
  } catch (e) {
    dispose();
    // The form parser's own refusals (a malformed form, too many parts) are the client's mistakes.
    const code = (e as { code?: string }).code ?? '';
    if (
      !(e instanceof UserError) &&
      /^FST_|^ERR_MULTIPART|Unexpected end of form|Malformed/i.test(`${code} ${(e as Error).message}`)
    )
      throw new UserError(
        `the upload cannot be read: ${(e as Error).message}`,
        { field: 'file' },
        (e as { statusCode?: number }).statusCode === 413 ? 413 : 400,
      );
    throw e;
  }
}

/** Largest text file (a goal plan, scoring or channel rules) read into memory. */
export const MAX_TEXT_BYTES = 10 * 1024 * 1024;

/**
 * A small text file from a request: the `file` part of a multipart form (its `name` field, else its
 * file name, names it), a text body (YAML or plain), or JSON `{"yaml": "…"}`. Null when the body is
 * none of these.
 *
 * @example
 * const up = await uploadedText(req); // { text: 'goals:\n…', name: 'plan.yaml' }
 */
export async function uploadedText(
  req: FastifyRequest,
  maxBytes = MAX_TEXT_BYTES,
): Promise<{ text: string; name: string | null } | null> {
  if (req.isMultipart?.()) {
    const up = await spoolUpload(req, maxBytes);
    try {
      const text = await readFile(up.path, 'utf8');
      return { text, name: up.fields.name || up.fileName };
    } finally {
      up.dispose();
    }
  }
  const body = req.body;
  if (typeof body === 'string') return { text: body, name: null };
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    // As strict as a declared schema: `yaml` a string, and no other field.
    const unknown = Object.keys(body).find((k) => k !== 'yaml');
    if (unknown !== undefined)
      throw new UserError(`the body: unknown field "${unknown.slice(0, 100)}"`, {
        field: unknown.slice(0, 100),
      });
    const yaml = (body as { yaml?: unknown }).yaml;
    if (typeof yaml !== 'string')
      throw new UserError(`yaml: expected string, got ${JSON.stringify(yaml ?? null).slice(0, 60)}`, {
        field: 'yaml',
      });
    return { text: yaml, name: null };
  }
  return null;
}
