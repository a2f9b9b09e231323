/** Runs any model over a path table after checking the options. */
import { AttributionInputError } from './errors.js';
import { attributeMarkov, MAX_MARKOV_ORDER } from './markov.js';
import { attributeRuleBased, DEFAULT_HALF_LIFE_DAYS } from './rule-based.js';
import { attributeShapley, attributeShapleyOrdered } from './shapley.js';
import type { AttributionOptions, AttributionResult, PathTable } from './types.js';
import { isModelId, MODEL_IDS } from './types.js';

/**
 * Throws AttributionInputError (line 0, field = the option) for an unknown model or an option out
 * of range, so a CLI can report it before reading any data.
 *
 * @example
 * validateAttributionOptions({ model: 'markov', order: 5 }); // throws: order must be 1 to 4
 */
export function validateAttributionOptions(options: AttributionOptions): void {
  if (!isModelId(options.model)) {
    throw new AttributionInputError(
      `unknown model ${JSON.stringify(options.model)}; one of ${MODEL_IDS.join(', ')}`,
      0,
      'model',
    );
  }
  const { order, nulls, halfLifeDays } = options;
  if (order !== undefined && (!Number.isInteger(order) || order < 1 || order > MAX_MARKOV_ORDER)) {
    throw new AttributionInputError(`must be an integer from 1 to ${MAX_MARKOV_ORDER}`, 0, 'order');
  }
  if (nulls !== undefined && nulls !== 'include' && nulls !== 'exclude') {
    throw new AttributionInputError(`must be include or exclude`, 0, 'nulls');
  }
  if (halfLifeDays !== undefined && !(Number.isFinite(halfLifeDays) && halfLifeDays > 0)) {
    throw new AttributionInputError(`must be a number of days above 0`, 0, 'half-life');
  }
}

/**
 * Attribution of a path table under one model.
 *
 * @example
 * const table = pathTableFromRecords([{ path: ['a', 'b'], conversions: 1, value: 10 }]);
 * attributePaths(table, { model: 'linear' }).rows; // a 0.5/5, b 0.5/5
 * attributePaths(table, { model: 'markov', order: 2, nulls: 'exclude' });
 */
export function attributePaths(table: PathTable, options: AttributionOptions): AttributionResult {
  validateAttributionOptions(options);
  switch (options.model) {
    case 'markov':
      return attributeMarkov(table, { order: options.order ?? 1, nulls: options.nulls ?? 'include' });
    case 'shapley':
      return attributeShapley(table);
    case 'shapley_ordered':
      return attributeShapleyOrdered(table);
    default:
      return attributeRuleBased(table, options.model, {
        halfLifeDays: options.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS,
        stages: options.stages === true,
      });
  }
}
