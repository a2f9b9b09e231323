/**
 * An open-addressing hash set of byte strings: the path tokenizer's fallback for files with more
 * channel names than its trie holds. Hashing and comparing read four bytes at a time through a
 * DataView (per-byte loops are what a reader pays for).
 */

/**
 * A DataView over exactly the bytes of `u8` (same offsets).
 *
 * @example
 * viewOf(new Uint8Array(8)).getInt32(4);
 */
export function viewOf(u8: Uint8Array): DataView {
  return new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
}

/**
 * Murmur3-style 32-bit hash of bytes [start, end) of `u8`; `dv` must be viewOf(u8).
 *
 * @example
 * const u8 = new Uint8Array(Buffer.from('a > b'));
 * hashBytes(u8, viewOf(u8), 0, u8.length);
 */
export function hashBytes(u8: Uint8Array, dv: DataView, start: number, end: number): number {
  let h = 0x9747b28c ^ (end - start);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    let k = Math.imul(dv.getInt32(i, true), 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  for (; i < end; i++) h = Math.imul(h ^ u8[i]!, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}

/**
 * Assigns dense ids (0, 1, …) to distinct byte strings, keeping a copy of each.
 *
 * @example
 * const set = new ByteInterner();
 * const u8 = new Uint8Array(Buffer.from('a > b'));
 * const dv = viewOf(u8);
 * set.intern(u8, dv, 0, u8.length, hashBytes(u8, dv, 0, u8.length)); // 0
 * set.intern(u8, dv, 0, u8.length, hashBytes(u8, dv, 0, u8.length)); // 0 again
 */
export class ByteInterner {
  /** Concatenated copies of the strings. */
  arena = new Uint8Array(1 << 16);
  arenaView = viewOf(this.arena);
  arenaLength = 0;
  /** Per id: [arena offset, length], side by side so a lookup touches one cache line. */
  private meta = new Int32Array(2048);
  /** Per slot: [hash, id + 1] (0 = empty). */
  private slots = new Int32Array(4096);
  private mask = 2047;
  size = 0;

  /** The id of bytes [start, end) of `u8` (dv = viewOf(u8), hash = hashBytes(...)); a new id if unseen. */
  intern(u8: Uint8Array, dv: DataView, start: number, end: number, hash: number): number {
    const len = end - start;
    const { slots, mask, meta } = this;
    let slot = hash & mask;
    for (;;) {
      const entry = slots[2 * slot + 1]!;
      if (entry === 0) break;
      const id = entry - 1;
      if (
        slots[2 * slot] === hash &&
        meta[2 * id + 1] === len &&
        this.equals(meta[2 * id]!, u8, dv, start, len)
      ) {
        return id;
      }
      slot = (slot + 1) & mask;
    }
    const id = this.size++;
    if (2 * id + 2 > this.meta.length) {
      const next = new Int32Array(this.meta.length * 2);
      next.set(this.meta);
      this.meta = next;
    }
    if (this.arenaLength + len > this.arena.length) {
      const next = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLength + len));
      next.set(this.arena.subarray(0, this.arenaLength));
      this.arena = next;
      this.arenaView = viewOf(next);
    }
    this.arena.set(u8.subarray(start, end), this.arenaLength);
    this.meta[2 * id] = this.arenaLength;
    this.meta[2 * id + 1] = len;
    this.arenaLength += len;
    slots[2 * slot] = hash;
    slots[2 * slot + 1] = id + 1;
    if (this.size * 2 > mask + 1) this.rehash();
    return id;
  }

  private equals(at: number, u8: Uint8Array, dv: DataView, start: number, len: number): boolean {
    const { arena, arenaView } = this;
    let i = 0;
    for (; i + 4 <= len; i += 4) if (arenaView.getInt32(at + i) !== dv.getInt32(start + i)) return false;
    for (; i < len; i++) if (arena[at + i] !== u8[start + i]) return false;
    return true;
  }

  private rehash(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = slots.length / 2 - 1;
    for (let s = 0; s < old.length; s += 2) {
      if (old[s + 1] === 0) continue;
      let slot = old[s]! & mask;
      while (slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = old[s]!;
      slots[2 * slot + 1] = old[s + 1]!;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
