/**
 * Errors that cross layer boundaries. A UserError is the user's to fix (bad input, unknown id):
 * the CLI exits 1 and the HTTP layer answers 4xx. Anything else is an internal failure (exit 2, 500).
 */
export class UserError extends Error {
  override name = 'UserError';
  constructor(
    message: string,
    /** Where the problem is, when it applies: a file, a line (1-based) and a field. */
    readonly where: { file?: string; line?: number; field?: string } = {},
    /** HTTP status the server answers with. */
    readonly status = 400,
  ) {
    super(message);
  }

  /** One line for stderr: `file:line: field: message`. */
  oneLine(): string {
    const parts: string[] = [];
    if (this.where.file)
      parts.push(this.where.line ? `${this.where.file}:${this.where.line}` : this.where.file);
    // `--to: --to (…) is before …` would say the flag twice.
    if (this.where.field && !this.message.includes(this.where.field)) parts.push(this.where.field);
    parts.push(this.message);
    return parts.join(': ');
  }
}

export class NotFoundError extends UserError {
  override name = 'NotFoundError';
  constructor(what: string) {
    super(`${what} not found`, {}, 404);
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}
