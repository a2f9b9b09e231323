/**
 * The SMART check's verdicts placed beside the form fields they are about, so an editor sees each
 * problem where it can be fixed: a failing letter goes to the field its reason names (due, start,
 * owner, KPI, target…), and a plan problem (`goals[0].objectives[0].due`) to its last path segment.
 */
import type { LintRow } from '../../goals/smart.js';

export const FIELDS = [
  'title',
  'kpi',
  'target',
  'baseline',
  'direction',
  'start',
  'due',
  'owner',
  'team',
  'market',
] as const;
export type Field = (typeof FIELDS)[number];

/** The field a failing letter's reason is about. */
function fieldOf(letter: string, reason: string): Field {
  if (letter === 'time_bound') return /^(no )?start/.test(reason) ? 'start' : 'due';
  if (letter === 'relevant') return 'title';
  if (/\bowner\b/i.test(reason)) return 'owner';
  if (/\bno KPI\b|unknown KPI|\bkpi\b/.test(reason)) return 'kpi';
  if (/\bdirection\b/.test(reason)) return 'direction';
  if (/\bbaseline\b/.test(reason) && !/\btarget\b/.test(reason)) return 'baseline';
  return 'target';
}

/**
 * @example
 * problemsByField({ id: 'x', ok: false, warnings: [], smart: { time_bound: { ok: false, reason: 'no due date: …' }, … } })
 * // { due: ['time_bound: no due date: …'] }
 */
export function problemsByField(
  row: Pick<LintRow, 'smart'> | null,
  plan: ReadonlyArray<{ field: string | null; message: string }> = [],
  /** A letter's name as shown (the UI passes its language's; the reason stays the server's). */
  letterName: (letter: string) => string = (letter) => letter.replace('_', '-'),
): Partial<Record<Field, string[]>> {
  const out: Partial<Record<Field, string[]>> = {};
  const add = (f: Field, m: string) => {
    const list = out[f] ?? [];
    if (!list.includes(m)) list.push(m);
    out[f] = list;
  };
  for (const p of plan) {
    const last =
      p.field
        ?.split('.')
        .pop()
        ?.replace(/\[\d+\]$/, '') ?? '';
    add((FIELDS as readonly string[]).includes(last) ? (last as Field) : 'title', p.message);
  }
  for (const [letter, l] of Object.entries(row?.smart ?? {}))
    if (l.ok === false) add(fieldOf(letter, l.reason), `${letterName(letter)}: ${l.reason}`);
  return out;
}
