import { UserError } from '../core/errors.js';

/**
 * A problem in the user's input to attribution: a bad option (line 0) or, as PathFileError, a bad
 * path-file row with its 1-based line and the column at fault. It is a UserError, so the CLI exits
 * 1 with `file:line: field: message`.
 *
 * @example
 * throw new AttributionInputError('must be 1 to 4', 0, 'order');
 */
export class AttributionInputError extends UserError {
  override name = 'AttributionInputError';
  constructor(
    message: string,
    /** 1-based line in the file; 0 when the problem is not on a line (an option, the whole file). */
    readonly line: number,
    /** The column or option at fault. */
    readonly field: string,
    file?: string,
  ) {
    super(message, line > 0 ? { file, line, field } : { file, field });
  }
}

/**
 * A bad path file: which line, which column.
 *
 * @example
 * throw new PathFileError('"x" is not a number', 12, 'total_conversions', 'paths.csv');
 */
export class PathFileError extends AttributionInputError {
  override name = 'PathFileError';
}
