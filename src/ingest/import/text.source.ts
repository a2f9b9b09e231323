/**
 * Reading an import file as text, chunk by chunk, never whole: the byte order mark decides the
 * encoding (UTF-8 by default, UTF-16 as spreadsheet tools and Google Ads' "Excel CSV" write it) and
 * is dropped. A byte counter drives progress bars.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { UserError } from '../../core/errors.js';

export type FileFormat = 'csv' | 'ndjson';

/** A file to import: where it is and how to read it. Read it as often as needed (two passes). */
export interface ImportFile {
  path: string;
  /** Name shown in messages and stage-history reasons (`import:<name>`). */
  name: string;
  format: FileFormat;
  /** Field separator for CSV (`,`; tab for `.tsv` and UTF-16 files, as spreadsheets export them). */
  delimiter: string;
  size: number;
}

const CHUNK = 1 << 20;

/**
 * Describes a file for import; the format comes from the extension (`.csv`, `.tsv`, `.txt` → CSV;
 * `.ndjson`, `.jsonl`, `.json` → NDJSON) unless given.
 *
 * @example
 * const f = await importFile('/tmp/hubspot.csv'); // { format: 'csv', delimiter: ',', … }
 */
export async function importFile(
  path: string,
  opts: { name?: string; format?: FileFormat } = {},
): Promise<ImportFile> {
  const name = opts.name ?? basename(path);
  const info = await stat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return null;
    throw new UserError(`cannot read the file: ${e.message}`, { file: path });
  });
  if (!info?.isFile()) throw new UserError('file not found', { file: path });
  const format = opts.format ?? formatOf(name);
  if (!format) {
    throw new UserError('cannot tell the format: name the file .csv, .tsv or .ndjson/.jsonl', {
      file: name,
    });
  }
  let delimiter = extname(name).toLowerCase() === '.tsv' ? '\t' : ',';
  if (format === 'csv' && (await sniffEncoding(path)) === 'utf-16le') delimiter = '\t';
  return { path, name, format, delimiter, size: info.size };
}

/**
 * The format a file name implies, or null.
 *
 * @example
 * formatOf('export.JSONL'); // 'ndjson'
 */
export function formatOf(name: string): FileFormat | null {
  const ext = extname(name).toLowerCase();
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  if (ext === '.ndjson' || ext === '.jsonl' || ext === '.json') return 'ndjson';
  return null;
}

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';

async function sniffEncoding(path: string): Promise<Encoding> {
  for await (const chunk of createReadStream(path, { start: 0, end: 3 })) return encodingOf(chunk as Buffer);
  return 'utf-8';
}

function encodingOf(head: Uint8Array): Encoding {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

/**
 * The file's text in chunks of about 1 MiB, BOM removed. `onBytes` gets the bytes read so far.
 *
 * @example
 * for await (const text of readText(file.path, (b) => bar.update(b))) parser.push(text);
 */
export async function* readText(path: string, onBytes?: (bytes: number) => void): AsyncGenerator<string> {
  let decoder: TextDecoder | null = null;
  let bytes = 0;
  for await (const raw of createReadStream(path, { highWaterMark: CHUNK })) {
    const chunk = raw as Buffer;
    bytes += chunk.length;
    if (!decoder) {
      // ignoreBOM: false (the default) makes the decoder drop the byte order mark itself.
      decoder = new TextDecoder(encodingOf(chunk), { fatal: false });
    }
    const text = decoder.decode(chunk, { stream: true });
    onBytes?.(bytes);
    if (text !== '') yield text;
  }
  const tail = decoder?.decode() ?? '';
  if (tail !== '') yield tail;
}

/** One line of a text file and its 1-based number. */
export interface TextLine {
  text: string;
  line: number;
}

/**
 * Lines of a text stream with their 1-based numbers (LF or CRLF; the line break is not included),
 * in batches (one per chunk of text), so a 10M-line file costs 10M array slots, not 10M awaits.
 *
 * @example
 * for await (const lines of readLines(readText(path))) for (const { text, line } of lines) JSON.parse(text);
 */
export async function* readLines(chunks: AsyncIterable<string>): AsyncGenerator<TextLine[]> {
  let rest = '';
  let line = 0;
  for await (const chunk of chunks) {
    const text = rest === '' ? chunk : rest + chunk;
    const out: TextLine[] = [];
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) break;
      line++;
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      out.push({ text: text.slice(start, end), line });
      start = nl + 1;
    }
    rest = text.slice(start);
    if (out.length) yield out;
  }
  if (rest !== '') {
    line++;
    yield [{ text: rest.endsWith('\r') ? rest.slice(0, -1) : rest, line }];
  }
}
