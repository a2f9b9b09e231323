/**
 * Splits raw path bytes (`a > b > c`) into channel ids without making strings.
 *
 * Fast path: a segment's first four bytes pick a candidate channel, whose name is then checked
 * four bytes at a time and skipped, so a known name costs a few word compares. Slow path (a new
 * name, a guess that failed, odd spacing): a byte trie over the names seen so far, one table
 * lookup per byte; each trie node decodes its name once. Past the trie's memory cap (campaign-level
 * files with thousands of names) segments are hashed instead.
 */
import { ByteInterner, hashBytes, viewOf } from './byte-interner.js';
import type { ChannelDictionary, GrowableInt32 } from './path-table.js';

const GT = 62;
const SPACE = 32;
const TAB = 9;
const MAX_TRIE_NODES = 4096;
const GUESS_SLOTS = 4096;

/** Why a path could not be split. */
export type TokenizeProblem = 'empty_channel' | 'separator_in_path';

const isSpace = (b: number | undefined): boolean => b === SPACE || b === TAB;

/**
 * @example
 * const dict = new ChannelDictionary();
 * const tokenizer = new PathTokenizer(dict, 59); // ';' may not occur in a path
 * const bytes = new Uint8Array(Buffer.from('a > b'));
 * const out = new GrowableInt32();
 * tokenizer.tokenize(bytes, viewOf(bytes), 0, bytes.length, out); // null; out holds [0, 1]
 */
export class PathTokenizer {
  // Uint16: at most MAX_TRIE_NODES nodes, and a smaller table stays in cache.
  private trans = new Uint16Array(256 * 64);
  private nodes = 1;
  private channelOfNode = new Int32Array(64).fill(-1);
  private fallback: ByteInterner | undefined;
  private readonly channelOfSegment: number[] = [];
  /** Candidate channel per hash of a segment's first four bytes (-1: none). */
  private readonly guess = new Int32Array(GUESS_SLOTS).fill(-1);
  /** The trimmed bytes of each channel as first seen, for verifying guesses. */
  private names = new Uint8Array(1024);
  private namesView = viewOf(this.names);
  private namesLength = 0;
  private nameAt: number[] = [];
  private nameLength: number[] = [];
  /** Where the last segment scanned by the slow path ended (at `>` or the end). */
  private segmentEnd = 0;

  constructor(
    private readonly dict: ChannelDictionary,
    /** A byte that may not occur in a path (the column separator), or -1. */
    private readonly forbidden: number,
  ) {}

  /**
   * Appends the channel ids of bytes [start, end) of `bytes` (`dv` = viewOf(bytes)) to `out`; returns
   * a problem instead when a segment is empty or the forbidden byte occurs.
   */
  tokenize(
    bytes: Uint8Array,
    dv: DataView,
    start: number,
    end: number,
    out: GrowableInt32,
  ): TokenizeProblem | null {
    let i = start;
    while (i < end && isSpace(bytes[i])) i++;
    for (;;) {
      if (i >= end || bytes[i] === GT) return 'empty_channel';
      let c = -1;
      let slot = -1;
      if (i + 4 <= end) {
        slot = Math.imul(dv.getInt32(i), 0x9e3779b1) >>> 20;
        const g = this.guess[slot]!;
        if (g >= 0) {
          const after = this.matchName(g, bytes, dv, i, end);
          if (after >= 0) {
            c = g;
            i = after;
          }
        }
      }
      if (c < 0) {
        c = this.fallback ? this.segmentHashed(bytes, dv, i, end) : this.segmentTrie(bytes, i, end);
        if (c < 0) return c === -2 ? 'separator_in_path' : 'empty_channel';
        if (slot >= 0) this.guess[slot] = c;
        i = this.segmentEnd;
      }
      out.push(c);
      if (i >= end) return null;
      // At the `>` after the segment.
      i++;
      while (i < end && isSpace(bytes[i])) i++;
    }
  }

  /**
   * If channel `c`'s name is at `i`, followed by optional spaces and then `>` or the end, the
   * position of that `>` (or end); else -1.
   */
  private matchName(c: number, bytes: Uint8Array, dv: DataView, i: number, end: number): number {
    const len = this.nameLength[c]!;
    if (i + len > end) return -1;
    const at = this.nameAt[c]!;
    const names = this.namesView;
    let k = 0;
    for (; k + 4 <= len; k += 4) if (names.getInt32(at + k) !== dv.getInt32(i + k)) return -1;
    for (; k < len; k++) if (this.names[at + k] !== bytes[i + k]) return -1;
    let j = i + len;
    while (j < end && isSpace(bytes[j])) j++;
    return j === end || bytes[j] === GT ? j : -1;
  }

  /** One segment through the trie; its channel, or -1 (empty) / -2 (forbidden byte). */
  private segmentTrie(bytes: Uint8Array, start: number, end: number): number {
    const { forbidden } = this;
    let trans = this.trans;
    let node = 0;
    let i = start;
    for (; i < end; i++) {
      const b = bytes[i]!;
      if (b === GT) break;
      if (b === forbidden) return -2;
      const slot = (node << 8) | b;
      let next = trans[slot]!;
      if (next === 0) {
        if (this.nodes === MAX_TRIE_NODES) {
          // Too many distinct names for the trie: hash segments from now on.
          this.fallback = new ByteInterner();
          return this.segmentHashed(bytes, viewOf(bytes), start, end);
        }
        next = this.addNode();
        trans = this.trans;
        trans[slot] = next;
      }
      node = next;
    }
    this.segmentEnd = i;
    if (node === 0) return -1;
    let c = this.channelOfNode[node]!;
    if (c < 0) {
      c = this.channelOf(bytes, start, i);
      this.channelOfNode[node] = c;
    }
    return c;
  }

  private segmentHashed(bytes: Uint8Array, dv: DataView, start: number, end: number): number {
    let i = start;
    while (i < end && bytes[i] !== GT) {
      if (bytes[i] === this.forbidden) return -2;
      i++;
    }
    this.segmentEnd = i;
    let e = i;
    while (e > start && isSpace(bytes[e - 1])) e--;
    if (e === start) return -1;
    const interner = this.fallback!;
    const id = interner.intern(bytes, dv, start, e, hashBytes(bytes, dv, start, e));
    if (id === this.channelOfSegment.length) this.channelOfSegment.push(this.channelOf(bytes, start, e));
    return this.channelOfSegment[id]!;
  }

  /** The channel of the name in bytes [start, end) (trailing spaces allowed), recording its bytes. */
  private channelOf(bytes: Uint8Array, start: number, end: number): number {
    let e = end;
    while (e > start && isSpace(bytes[e - 1])) e--;
    const name = Buffer.from(bytes.buffer, bytes.byteOffset + start, e - start).toString('utf8');
    const c = this.dict.id(name);
    if (this.nameAt[c] === undefined) {
      const len = e - start;
      if (this.namesLength + len > this.names.length) {
        const next = new Uint8Array(Math.max(this.names.length * 2, this.namesLength + len));
        next.set(this.names.subarray(0, this.namesLength));
        this.names = next;
        this.namesView = viewOf(next);
      }
      this.names.set(bytes.subarray(start, e), this.namesLength);
      this.nameAt[c] = this.namesLength;
      this.nameLength[c] = len;
      this.namesLength += len;
    }
    return c;
  }

  private addNode(): number {
    const id = this.nodes++;
    if (id * 256 >= this.trans.length) {
      const t = new Uint16Array(this.trans.length * 2);
      t.set(this.trans);
      this.trans = t;
      const c = new Int32Array(this.channelOfNode.length * 2).fill(-1);
      c.set(this.channelOfNode);
      this.channelOfNode = c;
    }
    return id;
  }
}
