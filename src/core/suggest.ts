/**
 * "Did you mean" for names a user types (KPI ids, commands, YAML keys): the closest known name by
 * edit distance, when it is close enough to be a likely typo.
 */

/** Levenshtein distance, stopping early past `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(
        (prev[j] ?? 0) + 1,
        (cur[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      cur.push(v);
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length] ?? max + 1;
}

/**
 * The known name closest to `input` (case-insensitive), if within a third of its length (at least 1,
 * at most 3 edits), or one that starts with it.
 *
 * @example
 * didYouMean('lead', ['leads', 'mqls']); // 'leads'
 * didYouMean('revnue', ['revenue']);     // 'revenue'
 * didYouMean('xyz', ['leads']);          // null
 */
export function didYouMean(input: string, known: Iterable<string>): string | null {
  const s = input.toLowerCase();
  const max = Math.min(3, Math.max(1, Math.floor(s.length / 3)));
  let best: string | null = null;
  let bestD = max + 1;
  for (const k of known) {
    const d = distance(s, k.toLowerCase(), max);
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  if (best) return best;
  if (s.length >= 3) for (const k of known) if (k.toLowerCase().startsWith(s)) return k;
  return null;
}

/** ` (did you mean "leads"?)` or an empty string. */
export function suggestion(input: string, known: Iterable<string>): string {
  const m = didYouMean(input, known);
  return m ? ` (did you mean "${m}"?)` : '';
}
