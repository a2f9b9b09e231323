/**
 * An external merge sort of NDJSON lines by event time, for events files that are not in time order
 * (GA4 exports, concatenated exports): the sessionizer must see each visitor's events in order.
 * Lines are buffered, sorted and spilled to run files of `runSize` lines; the runs are then merged.
 * Memory stays at one run plus one read buffer per run.
 */

import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLines, readText, type TextLine } from './text.source.js';

interface Entry {
  t: number;
  line: number;
  text: string;
}

const byTime = (a: Entry, b: Entry) => a.t - b.t || a.line - b.line;

/**
 * @example
 * const sorter = new EventSorter();
 * await sorter.add(Date.parse(ts), 12, '{"type":"page",…}');
 * for await (const batch of sorter.sorted()) for (const { line, text } of batch) …;
 * sorter.dispose();
 */
export class EventSorter {
  private buffer: Entry[] = [];
  private runs: string[] = [];
  private dir: string | null = null;

  constructor(private readonly runSize = 250_000) {}

  /** Adds one line (with its time and line number); spills a sorted run when the buffer is full. */
  async add(t: number, line: number, text: string): Promise<void> {
    this.buffer.push({ t, line, text });
    if (this.buffer.length >= this.runSize) await this.spill();
  }

  private async spill(): Promise<void> {
    if (this.buffer.length === 0) return;
    this.buffer.sort(byTime);
    this.dir ??= mkdtempSync(join(tmpdir(), 'ns-import-sort-'));
    const path = join(this.dir, `run-${this.runs.length}.tsv`);
    const out = createWriteStream(path);
    let chunk = '';
    for (const e of this.buffer) {
      chunk += `${e.t}\t${e.line}\t${e.text}\n`;
      if (chunk.length > 1 << 20) {
        if (!out.write(chunk)) await once(out, 'drain');
        chunk = '';
      }
    }
    out.end(chunk);
    await once(out, 'finish');
    this.runs.push(path);
    this.buffer = [];
  }

  /** Every line in time order (ties in file order), in batches. */
  async *sorted(batchSize = 10_000): AsyncGenerator<TextLine[]> {
    if (this.runs.length === 0) {
      this.buffer.sort(byTime);
      for (let i = 0; i < this.buffer.length; i += batchSize)
        yield this.buffer.slice(i, i + batchSize).map((e) => ({ line: e.line, text: e.text }));
      this.buffer = [];
      return;
    }
    await this.spill();
    const sources = this.runs.map((p) => new RunReader(p));
    const heap: Array<{ e: Entry; src: RunReader }> = [];
    for (const src of sources) {
      const e = await src.next();
      if (e) heapPush(heap, { e, src });
    }
    let out: TextLine[] = [];
    while (heap.length) {
      const top = heap[0] as { e: Entry; src: RunReader };
      out.push({ line: top.e.line, text: top.e.text });
      const next = await top.src.next();
      if (next) {
        top.e = next;
        siftDown(heap, 0);
      } else {
        const last = heap.pop() as { e: Entry; src: RunReader };
        if (heap.length) {
          heap[0] = last;
          siftDown(heap, 0);
        }
      }
      if (out.length >= batchSize) {
        yield out;
        out = [];
      }
    }
    if (out.length) yield out;
  }

  /** Removes the run files. */
  dispose(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
    this.runs = [];
    this.buffer = [];
  }
}

/** Reads one run file entry by entry (batched underneath). */
class RunReader {
  private lines: AsyncGenerator<TextLine[]>;
  private batch: TextLine[] = [];
  private i = 0;

  constructor(path: string) {
    this.lines = readLines(readText(path));
  }

  async next(): Promise<Entry | null> {
    while (this.i >= this.batch.length) {
      const r = await this.lines.next();
      if (r.done) return null;
      this.batch = r.value;
      this.i = 0;
    }
    const { text } = this.batch[this.i++] as TextLine;
    const a = text.indexOf('\t');
    const b = text.indexOf('\t', a + 1);
    return { t: Number(text.slice(0, a)), line: Number(text.slice(a + 1, b)), text: text.slice(b + 1) };
  }
}

type Node = { e: Entry; src: RunReader };

function heapPush(heap: Node[], n: Node): void {
  heap.push(n);
  let i = heap.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (byTime((heap[p] as Node).e, n.e) <= 0) break;
    heap[i] = heap[p] as Node;
    i = p;
  }
  heap[i] = n;
}

function siftDown(heap: Node[], i: number): void {
  const n = heap[i] as Node;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= heap.length) break;
    const r = l + 1;
    const c = r < heap.length && byTime((heap[r] as Node).e, (heap[l] as Node).e) < 0 ? r : l;
    if (byTime((heap[c] as Node).e, n.e) >= 0) break;
    heap[i] = heap[c] as Node;
    i = c;
  }
  heap[i] = n;
}
