/** "Did you mean": the closest known word to a mistyped one, for KPI ids, commands, plan keys and ids. */

/**
 * Edit distance (insertions, deletions, substitutions, and swaps of two neighbours).
 *
 * @example
 * editDistance('deu', 'due'); // 1
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = v;
    }
  return at(a.length, b.length);
}

/**
 * The known word closest to `word`, when it is close enough to be a typo (at most a third of its
 * letters wrong, and at least 1 allowed); a word that starts the same way as a known one counts too.
 *
 * @example
 * closest('deu', ['start', 'due', 'owner']);        // 'due'
 * closest('basline', ['baseline', 'target']);       // 'baseline'
 * closest('colour', ['start', 'due']);              // null
 */
export function closest(word: string, known: readonly string[]): string | null {
  const w = word.toLowerCase();
  let best: string | null = null;
  let bestD = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const dist = editDistance(w, k.toLowerCase());
    if (dist < bestD) {
      best = k;
      bestD = dist;
    }
  }
  if (best !== null && bestD <= Math.max(1, Math.floor(w.length / 3))) return best;
  const prefix = known.filter((k) => w.length >= 3 && (k.startsWith(w) || w.startsWith(k)));
  return prefix.length === 1 ? (prefix[0] ?? null) : null;
}

/**
 * The hint to append to an "unknown …" message, or '' when nothing is close.
 *
 * @example
 * didYouMean('deu', ['start', 'due']); // ' (did you mean "due"?)'
 */
export function didYouMean(word: string, known: readonly string[]): string {
  const c = closest(word, known);
  return c ? ` (did you mean "${c}"?)` : '';
}
