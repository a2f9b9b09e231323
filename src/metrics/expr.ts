/**
 * A small, safe arithmetic language for KPI formulas: numbers, measure names, + - * / and parentheses.
 * No eval: formulas are parsed to a tree and evaluated over measure values. Division by zero gives
 * null (a rate over nothing is undefined, not 0), and null propagates.
 *
 * @example
 * const e = parseFormula('(mqls - sqls) / mqls', new Set(['mqls', 'sqls']));
 * evaluate(e, { mqls: 40, sqls: 10 }); // 0.75
 */
export type Expr =
  | { kind: 'num'; value: number }
  | { kind: 'ref'; name: string }
  | { kind: 'neg'; arg: Expr }
  | { kind: 'bin'; op: '+' | '-' | '*' | '/'; left: Expr; right: Expr };

export class FormulaError extends Error {
  override name = 'FormulaError';
  constructor(
    message: string,
    /** 1-based character position in the formula. */
    readonly position: number,
  ) {
    super(`${message} at position ${position}`);
  }
}

interface Token {
  type: 'num' | 'id' | 'op' | '(' | ')' | 'end';
  text: string;
  pos: number;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9.]/.test(ch)) {
      while (i < src.length && /[0-9._]/.test(src[i] as string)) i++;
      const text = src.slice(start, i).replace(/_/g, '');
      if (!/^(\d+\.?\d*|\.\d+)$/.test(text))
        throw new FormulaError(`bad number "${src.slice(start, i)}"`, start + 1);
      out.push({ type: 'num', text, pos: start + 1 });
    } else if (/[a-z_]/i.test(ch)) {
      while (i < src.length && /[a-z0-9_]/i.test(src[i] as string)) i++;
      out.push({ type: 'id', text: src.slice(start, i), pos: start + 1 });
    } else if ('+-*/'.includes(ch)) {
      out.push({ type: 'op', text: ch, pos: ++i });
    } else if (ch === '(' || ch === ')') {
      out.push({ type: ch, text: ch, pos: ++i });
    } else {
      throw new FormulaError(`unexpected "${ch}"`, start + 1);
    }
  }
  out.push({ type: 'end', text: '', pos: src.length + 1 });
  return out;
}

/** Parses a formula; every name must be in `known` (the error names the unknown one). */
export function parseFormula(src: string, known: ReadonlySet<string>): Expr {
  const toks = tokenize(src);
  let k = 0;
  const peek = () => toks[k] as Token;
  const next = () => toks[k++] as Token;

  const primary = (): Expr => {
    const t = next();
    if (t.type === 'num') return { kind: 'num', value: Number(t.text) };
    if (t.type === 'id') {
      if (!known.has(t.text)) throw new FormulaError(`unknown measure "${t.text}"`, t.pos);
      return { kind: 'ref', name: t.text };
    }
    if (t.type === 'op' && t.text === '-') return { kind: 'neg', arg: primary() };
    if (t.type === '(') {
      const e = sum();
      const close = next();
      if (close.type !== ')') throw new FormulaError('expected ")"', close.pos);
      return e;
    }
    throw new FormulaError(t.type === 'end' ? 'unexpected end of formula' : `unexpected "${t.text}"`, t.pos);
  };
  const product = (): Expr => {
    let left = primary();
    while (peek().type === 'op' && (peek().text === '*' || peek().text === '/')) {
      const op = next().text as '*' | '/';
      left = { kind: 'bin', op, left, right: primary() };
    }
    return left;
  };
  const sum = (): Expr => {
    let left = product();
    while (peek().type === 'op' && (peek().text === '+' || peek().text === '-')) {
      const op = next().text as '+' | '-';
      left = { kind: 'bin', op, left, right: product() };
    }
    return left;
  };
  const e = sum();
  const rest = peek();
  if (rest.type !== 'end') throw new FormulaError(`unexpected "${rest.text}"`, rest.pos);
  return e;
}

/** The measure names a formula reads. */
export function references(e: Expr, out = new Set<string>()): Set<string> {
  if (e.kind === 'ref') out.add(e.name);
  else if (e.kind === 'neg') references(e.arg, out);
  else if (e.kind === 'bin') {
    references(e.left, out);
    references(e.right, out);
  }
  return out;
}

/** Evaluates over measure values; a missing measure counts as 0, x / 0 is null, null propagates. */
export function evaluate(
  e: Expr,
  values: Readonly<Record<string, number | null | undefined>>,
): number | null {
  switch (e.kind) {
    case 'num':
      return e.value;
    case 'ref':
      return values[e.name] ?? 0;
    case 'neg': {
      const v = evaluate(e.arg, values);
      return v === null ? null : -v;
    }
    case 'bin': {
      const l = evaluate(e.left, values);
      const r = evaluate(e.right, values);
      if (l === null || r === null) return null;
      if (e.op === '+') return l + r;
      if (e.op === '-') return l - r;
      if (e.op === '*') return l * r;
      return r === 0 ? null : l / r;
    }
  }
}
