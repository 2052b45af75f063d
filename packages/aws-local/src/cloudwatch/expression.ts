/**
 * A small subset of CloudWatch metric math, enough for rates and ratios between queries:
 * numbers, query ids, + - * /, parentheses, unary minus and FILL(series, value).
 * Series combine on shared timestamps; a timestamp missing from either side (or a division by
 * zero) yields no value there, as CloudWatch does.
 */
import { AwsError } from '../errors.js';

export type Series = Map<number, number>;
type Value = Series | number;

/** `grid` is every period start of the query window: where FILL puts its value. */
export function evaluateExpression(expression: string, lookup: (id: string) => Series, grid: readonly number[]): Series {
  const tokens = expression.match(/\s*(\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|[-+*/(),])/g)?.map((t) => t.trim()) ?? [];
  if (tokens.join('') !== expression.replace(/\s+/g, ''))
    throw invalid(expression, 'it holds characters outside numbers, ids, + - * / ( ) and FILL');
  let position = 0;
  const peek = (): string | undefined => tokens[position];
  const take = (expected?: string): string => {
    const token = tokens[position];
    if (token === undefined || (expected !== undefined && token !== expected))
      throw invalid(expression, `expected ${expected ?? 'more'} at token ${position + 1}`);
    position += 1;
    return token;
  };

  const primary = (): Value => {
    const token = take();
    if (token === '(') {
      const value = sum();
      take(')');
      return value;
    }
    if (token === '-') return apply(primary(), -1, (a, b) => a * b);
    if (/^\d/.test(token)) return Number(token);
    if (token.toUpperCase() === 'FILL') {
      take('(');
      const series = sum();
      take(',');
      const fill = sum();
      take(')');
      if (!(series instanceof Map) || typeof fill !== 'number') throw invalid(expression, 'FILL takes a series and a number');
      return new Map(grid.map((t) => [t, series.get(t) ?? fill]));
    }
    return lookup(token);
  };
  const product = (): Value => {
    let value = primary();
    while (peek() === '*' || peek() === '/') {
      const op = take();
      value = apply(value, primary(), op === '*' ? (a, b) => a * b : (a, b) => (b === 0 ? Number.NaN : a / b));
    }
    return value;
  };
  const sum = (): Value => {
    let value = product();
    while (peek() === '+' || peek() === '-') {
      const op = take();
      value = apply(value, product(), op === '+' ? (a, b) => a + b : (a, b) => a - b);
    }
    return value;
  };

  const result = sum();
  if (position !== tokens.length) throw invalid(expression, `unexpected '${tokens[position]}'`);
  if (!(result instanceof Map)) throw invalid(expression, 'it must refer to at least one query');
  return result;
}

function apply(left: Value, right: Value, op: (a: number, b: number) => number): Value {
  if (typeof left === 'number' && typeof right === 'number') return op(left, right);
  const out: Series = new Map();
  const keys = left instanceof Map ? [...left.keys()] : [...(right as Series).keys()];
  for (const t of keys) {
    const a = typeof left === 'number' ? left : left.get(t);
    const b = typeof right === 'number' ? right : right.get(t);
    if (a === undefined || b === undefined) continue;
    const value = op(a, b);
    if (Number.isFinite(value)) out.set(t, value);
  }
  return out;
}

function invalid(expression: string, problem: string): AwsError {
  return new AwsError('InvalidParameterValue', `The metric math expression '${expression}' is not supported: ${problem}`);
}
