/**
 * Attribution engine: path files (ChannelAttribution's layout) and journeys, rule-based models,
 * exact Markov removal effects (orders 1-4) and Shapley values. Definitions: docs/attribution.md.
 */
import { attributePaths, validateAttributionOptions } from './attribute.js';
import { readPathFile, readPathFileSync } from './paths.reader.js';
import type { AttributionOptions, AttributionResult } from './types.js';

export { attributePaths, validateAttributionOptions } from './attribute.js';
export { AttributionInputError, PathFileError } from './errors.js';
export type { Journey, JourneyDimension, JourneyTouch } from './journeys.js';
export { attributeJourneys, journeysToTable, NO_TOUCH } from './journeys.js';
export { attributeMarkov, attributeMarkovDetailed, MAX_MARKOV_ORDER } from './markov.js';
export type { PathRecord } from './path-table.js';
export { pathTableFromRecords } from './path-table.js';
export { PathFileParser, parsePathText, readPathFile, readPathFileSync } from './paths.reader.js';
export { attributeRuleBased, DEFAULT_HALF_LIFE_DAYS, isDirectChannel, touchWeights } from './rule-based.js';
export { attributeShapley, attributeShapleyOrdered } from './shapley.js';
export type {
  AttributionOptions,
  AttributionResult,
  AttributionRow,
  ModelId,
  NullsMode,
  PathTable,
  PositionCredit,
  Stage,
  StageCredit,
} from './types.js';
export { isModelId, MODEL_IDS, RULE_BASED_MODEL_IDS, STAGES } from './types.js';

export interface PathFileAttributionOptions extends AttributionOptions {
  /** Column separator of the file (default `;`). */
  sep?: string;
}

/**
 * Reads a path file and attributes it under one model (options are checked before reading).
 *
 * @example
 * const r = await attributePathFile('paths.csv', { model: 'markov', order: 2, nulls: 'include', sep: ';' });
 * console.log(JSON.stringify(r)); // {"model":"markov","order":2,"total_conversions":…,"rows":[…]}
 */
export async function attributePathFile(
  file: string,
  options: PathFileAttributionOptions,
): Promise<AttributionResult> {
  validateAttributionOptions(options);
  const table = await readPathFile(file, { sep: options.sep });
  return attributePaths(table, options);
}

/**
 * attributePathFile without the event loop; reading a table once and calling attributePaths per
 * model is cheaper when several models run side by side.
 *
 * @example
 * const r = attributePathFileSync('paths.csv', { model: 'shapley' });
 */
export function attributePathFileSync(file: string, options: PathFileAttributionOptions): AttributionResult {
  validateAttributionOptions(options);
  return attributePaths(readPathFileSync(file, { sep: options.sep }), options);
}
