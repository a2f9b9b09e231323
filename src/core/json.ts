/**
 * Limits on parsed JSON from outside. Deeply nested values parse fine but then throw from recursive
 * code (JSON.stringify, deep merges, validators) far from the edge; they are refused where they enter.
 */

/** The deepest nesting of objects and arrays accepted in any message, body or imported line. */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether a parsed JSON value nests objects or arrays deeper than `max` levels (a top-level object is
 * level 1). Stops descending at the limit, so a value 100,000 levels deep costs `max` steps.
 *
 * @example
 * exceedsDepth({ a: { b: 1 } }, 2); // false
 * exceedsDepth({ a: { b: [1] } }, 2); // true
 */
export function exceedsDepth(value: unknown, max = MAX_JSON_DEPTH): boolean {
  return tooDeep(value, max);
}

function tooDeep(value: unknown, left: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (left <= 0) return true;
  if (Array.isArray(value)) {
    for (const v of value) if (typeof v === 'object' && v !== null && tooDeep(v, left - 1)) return true;
    return false;
  }
  for (const k in value) {
    const v = (value as Record<string, unknown>)[k];
    if (typeof v === 'object' && v !== null && tooDeep(v, left - 1)) return true;
  }
  return false;
}

/** The reason given to a client for a value refused by `exceedsDepth`. */
export const DEPTH_REASON = `nested deeper than ${MAX_JSON_DEPTH} levels`;
