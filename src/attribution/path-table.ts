/**
 * Building compact path tables (see PathTable in types.ts) from channel-id sequences: the path-file
 * reader, the journey API and the tests all go through PathTableBuilder.
 */
import type { PathTable } from './types.js';

/**
 * Channel name → small dense id.
 *
 * @example
 * const dict = new ChannelDictionary();
 * dict.id('Email'); // 0
 * dict.id('Search'); // 1
 * dict.id('Email'); // 0
 */
export class ChannelDictionary {
  private readonly ids = new Map<string, number>();
  readonly names: string[] = [];

  /** The id of `name`, assigning the next one on first sight. */
  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }
}

/**
 * A typed array that doubles when full; `view()` is the filled part.
 *
 * @example
 * const ids = new GrowableInt32();
 * ids.push(3);
 * ids.view(); // Int32Array [3]
 */
export class GrowableInt32 {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }
  grow(min: number): void {
    const next = new Int32Array(Math.max(min, this.data.length * 2));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  /** The filled part, sharing memory with the buffer (no copy: the peak stays one buffer). */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/** GrowableInt32 for doubles. */
export class GrowableFloat64 {
  data: Float64Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }
  grow(min: number): void {
    const next = new Float64Array(Math.max(min, this.data.length * 2));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  /** The filled part, sharing memory with the buffer. */
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

export interface BuilderOptions {
  /** Sum identical channel sequences into one path (path files). Journeys keep one path each. */
  dedupe: boolean;
  withDays?: boolean;
  withMilestones?: boolean;
  /**
   * Expected paths and touches, when known: buffers sized once instead of doubling (each doubling
   * of a large buffer can cost a full garbage collection when the caller holds many objects).
   */
  expectedPaths?: number;
  expectedTouches?: number;
}

/** Per-path milestone indices for PathTableBuilder.add; -1 = unknown. */
export interface MilestoneArgs {
  lead: number;
  opportunity: number;
  dealWon: number;
}

/**
 * Accumulates paths given as channel-id sequences.
 *
 * @example
 * const dict = new ChannelDictionary();
 * const b = new PathTableBuilder({ dedupe: true });
 * b.add([dict.id('a'), dict.id('b')], 1, 10, 0);
 * b.add([dict.id('a'), dict.id('b')], 0, 0, 2); // same path: summed
 * const table = b.build(dict.names, 2);          // table.size === 1, nulls[0] === 2
 */
export class PathTableBuilder {
  private readonly offsets: GrowableInt32;
  private readonly touches: GrowableInt32;
  /** Per path: [conversions, value, nulls], side by side so summing a repeat touches one cache line. */
  private readonly counts: GrowableFloat64;
  private readonly days: GrowableFloat64 | undefined;
  private readonly lead: GrowableInt32 | undefined;
  private readonly opportunity: GrowableInt32 | undefined;
  private readonly dealWon: GrowableInt32 | undefined;
  /**
   * Dedupe: open addressing, each slot [hash, path + 1, touch offset, length] (path + 1 = 0: empty),
   * so a probe reads one slot and then the touches, nothing else.
   */
  private slots = new Int32Array(4 * 1024);
  private size_ = 0;

  constructor(private readonly options: BuilderOptions) {
    const paths = Math.max(1024, (options.expectedPaths ?? 0) + 1);
    const touches = Math.max(4096, options.expectedTouches ?? 0);
    this.offsets = new GrowableInt32(paths);
    this.touches = new GrowableInt32(touches);
    this.counts = new GrowableFloat64(3 * paths);
    this.offsets.push(0);
    if (options.withDays) this.days = new GrowableFloat64(touches);
    if (options.withMilestones) {
      this.lead = new GrowableInt32(paths);
      this.opportunity = new GrowableInt32(paths);
      this.dealWon = new GrowableInt32(paths);
    }
  }

  get size(): number {
    return this.size_;
  }

  /** Adds one path (or sums it into an identical one when deduplicating); returns its index. */
  add(
    channelIds: ArrayLike<number>,
    conversions: number,
    value: number,
    nulls: number,
    daysBefore?: ArrayLike<number>,
    milestones?: MilestoneArgs,
  ): number {
    const n = channelIds.length;
    for (let i = 0; i < n; i++) this.touch(channelIds[i]!, daysBefore?.[i] ?? 0);
    return this.commit(conversions, value, nulls, milestones);
  }

  /** Appends one touch (and its days before the conversion, if kept) to the path being built. */
  touch(channelId: number, daysBefore = 0): void {
    this.touches.push(channelId);
    this.days?.push(daysBefore);
  }

  /**
   * The touch buffer, for a producer that appends the touches of the path being built itself;
   * it may shorten it, but not below the start of that path. (Not with withDays: days go with touch().)
   */
  get pendingTouches(): GrowableInt32 {
    return this.touches;
  }

  /**
   * Closes the path made of the touches pushed since the last commit (summing it into an equal
   * path when deduplicating); returns its index.
   */
  commit(conversions: number, value: number, nulls: number, milestones?: MilestoneArgs): number {
    const start = this.offsets.data[this.size_]!;
    if (this.options.dedupe) {
      const found = this.findDuplicate(start, this.touches.length - start);
      if (found >= 0) {
        this.touches.length = start;
        if (this.days) this.days.length = start;
        this.addTo(found, conversions, value, nulls);
        return found;
      }
    }
    this.lead?.push(milestones?.lead ?? -1);
    this.opportunity?.push(milestones?.opportunity ?? -1);
    this.dealWon?.push(milestones?.dealWon ?? -1);
    this.offsets.push(this.touches.length);
    const c = this.counts;
    c.push(conversions);
    c.push(value);
    c.push(nulls);
    return this.size_++;
  }

  /**
   * With the candidate's touches already appended at [start, start + n): the index of an equal
   * stored path, or -1 after registering the candidate as the next path.
   */
  private findDuplicate(start: number, n: number): number {
    const t = this.touches.data;
    let h = 0x2545f491 ^ n;
    for (let i = start; i < start + n; i++) h = Math.imul(h ^ t[i]!, 0x9e3779b1) ^ (h >>> 15);
    const { slots } = this;
    const mask = (slots.length >> 2) - 1;
    let slot = h & mask;
    for (;;) {
      const k = slot << 2;
      const entry = slots[k + 1]!;
      if (entry === 0) {
        slots[k] = h;
        slots[k + 1] = this.size_ + 1;
        slots[k + 2] = start;
        slots[k + 3] = n;
        if ((this.size_ + 1) * 2 > mask + 1) this.rehash();
        return -1;
      }
      if (slots[k] === h && slots[k + 3] === n && sameRun(t, slots[k + 2]!, start, n)) return entry - 1;
      slot = (slot + 1) & mask;
    }
  }

  private rehash(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = (slots.length >> 2) - 1;
    for (let k = 0; k < old.length; k += 4) {
      if (old[k + 1] === 0) continue;
      let slot = old[k]! & mask;
      while (slots[(slot << 2) + 1] !== 0) slot = (slot + 1) & mask;
      slots.set(old.subarray(k, k + 4), slot << 2);
    }
    this.slots = slots;
  }

  /** Sums counts into path `index` (a duplicate found by the caller). */
  addTo(index: number, conversions: number, value: number, nulls: number): void {
    const c = this.counts.data;
    c[3 * index] = c[3 * index]! + conversions;
    c[3 * index + 1] = c[3 * index + 1]! + value;
    c[3 * index + 2] = c[3 * index + 2]! + nulls;
  }

  build(channels: readonly string[], sourceRows: number): PathTable {
    const n = this.size_;
    const conversions = new Float64Array(n);
    const values = new Float64Array(n);
    const nulls = new Float64Array(n);
    const c = this.counts.data;
    for (let p = 0; p < n; p++) {
      conversions[p] = c[3 * p]!;
      values[p] = c[3 * p + 1]!;
      nulls[p] = c[3 * p + 2]!;
    }
    return {
      channels: [...channels],
      size: n,
      offsets: this.offsets.view(),
      touches: this.touches.view(),
      conversions,
      values,
      nulls,
      ...(this.days ? { daysBefore: this.days.view() } : {}),
      ...(this.lead && this.opportunity && this.dealWon
        ? {
            milestones: {
              lead: this.lead.view(),
              opportunity: this.opportunity.view(),
              dealWon: this.dealWon.view(),
            },
          }
        : {}),
      sourceRows,
    };
  }
}

function sameRun(t: Int32Array, a: number, b: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (t[a + i] !== t[b + i]) return false;
  return true;
}

/**
 * A string that identifies a channel-id sequence (one UTF-16 unit per id below 0xffff).
 *
 * @example
 * sequenceKey([1, 2]) === sequenceKey(Int32Array.of(1, 2)); // true
 */
export function sequenceKey(ids: ArrayLike<number>): string {
  let key = '';
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] ?? 0;
    // Ids past 0xfffe get an escape plus two units so keys stay unambiguous.
    key += id < 0xffff ? String.fromCharCode(id) : `\uffff${String.fromCharCode(id >>> 16, id & 0xffff)}`;
  }
  return key;
}

/** A path given by channel names, for tests and small inputs. */
export interface PathRecord {
  path: readonly string[];
  conversions?: number;
  value?: number;
  nulls?: number;
}

/**
 * A deduplicated table from path records (identical paths are summed).
 *
 * @example
 * const t = pathTableFromRecords([{ path: ['c1', 'c2'], conversions: 1, value: 5 }, { path: ['c1'], nulls: 1 }]);
 * t.size; // 2
 */
export function pathTableFromRecords(records: Iterable<PathRecord>): PathTable {
  const dict = new ChannelDictionary();
  const builder = new PathTableBuilder({ dedupe: true });
  let rows = 0;
  for (const r of records) {
    if (r.path.length === 0) throw new RangeError('a path needs at least one touch');
    builder.add(
      r.path.map((c) => dict.id(c)),
      r.conversions ?? 0,
      r.value ?? 0,
      r.nulls ?? 0,
    );
    rows++;
  }
  return builder.build(dict.names, rows);
}

/**
 * Sum of conversions and of value over the table.
 *
 * @example
 * tableTotals(pathTableFromRecords([{ path: ['a'], conversions: 2, value: 9 }])); // { conversions: 2, value: 9 }
 */
export function tableTotals(table: PathTable): { conversions: number; value: number } {
  let conversions = 0;
  let value = 0;
  for (let p = 0; p < table.size; p++) {
    conversions += table.conversions[p] ?? 0;
    value += table.values[p] ?? 0;
  }
  return { conversions, value };
}
