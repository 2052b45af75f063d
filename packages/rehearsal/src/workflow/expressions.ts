/**
 * GitHub's expression language, evaluated with GitHub's own evaluator (`@actions/expressions`) over
 * plain JavaScript contexts, and the workflow parser's tokens turned into values with it. The
 * status functions (`success()`, `failure()`, `always()`, `cancelled()`) are the runner's, so they
 * come from whoever evaluates: a job's `if:` looks at its needs, a step's at the job so far.
 */
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { truthy } from '@actions/expressions/result';
import { isBasicExpression, isBoolean, isMapping, isNumber, isSequence, isString } from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';

/** What the status functions answer, from the point of view of the job or step being evaluated. */
export interface Status {
  /** Everything before succeeded (needs, or the job's steps so far). */
  readonly success: boolean;
  readonly failure: boolean;
  readonly cancelled: boolean;
}

export const OK: Status = { success: true, failure: false, cancelled: false };

export type Contexts = Readonly<Record<string, unknown>>;

const CONTEXT_NAMES = ['github', 'env', 'vars', 'secrets', 'inputs', 'needs', 'steps', 'job', 'jobs', 'runner', 'matrix', 'strategy'];

export class ExpressionFailure extends Error {}

function statusFunctions(status: Status): Map<string, FunctionDefinition> {
  const fn = (name: string, value: () => boolean): [string, FunctionDefinition] => [
    name,
    { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value()) },
  ];
  return new Map([
    fn('success', () => status.success && !status.cancelled),
    fn('failure', () => status.failure),
    fn('always', () => true),
    fn('cancelled', () => status.cancelled),
  ]);
}

function toData(value: unknown): data.ExpressionData {
  return JSON.parse(JSON.stringify(value ?? null), data.reviver) as data.ExpressionData;
}

/** Evaluates one expression (without `${{ }}`) against the contexts. */
export function evaluate(expression: string, contexts: Contexts, status: Status = OK): data.ExpressionData {
  const dictionary = new data.Dictionary();
  for (const name of CONTEXT_NAMES) dictionary.add(name, toData(contexts[name] ?? {}));
  const functions = statusFunctions(status);
  try {
    const { tokens } = new Lexer(expression).lex();
    const ast = new Parser(tokens, CONTEXT_NAMES, [...functions.values()]).parse();
    return new Evaluator(ast, dictionary, functions).evaluate();
  } catch (error) {
    throw new ExpressionFailure(`cannot evaluate \${{ ${expression} }}: ${(error as Error).message}`);
  }
}

/** An `if:` condition as the runner judges it. */
export function condition(expression: string, contexts: Contexts, status: Status): boolean {
  return truthy(evaluate(expression, contexts, status));
}

/** A value as the runner hands it to a step: strings as they are, booleans and numbers as text, null as empty. */
export function asText(value: data.ExpressionData | unknown): string {
  if (value instanceof Object && 'coerceString' in value && 'kind' in value) {
    const d = value as data.ExpressionData;
    if (d.kind === data.Kind.Null) return '';
    if (d.kind === data.Kind.Array || d.kind === data.Kind.Dictionary) return JSON.stringify(fromData(d));
    return d.coerceString();
  }
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function fromData(value: data.ExpressionData): unknown {
  switch (value.kind) {
    case data.Kind.Null:
      return null;
    case data.Kind.Boolean:
    case data.Kind.Number:
    case data.Kind.String:
      return (value as data.StringData).value;
    case data.Kind.Array:
      return (value as data.Array).values().map(fromData);
    default:
      return Object.fromEntries((value as data.Dictionary).pairs().map(({ key, value: v }) => [key, fromData(v)]));
  }
}

/** A parsed workflow token (`with:`, `env:`, `run:`, ...) evaluated into a plain value. */
export function evaluateToken(token: TemplateToken | undefined, contexts: Contexts, status: Status = OK): unknown {
  if (token === undefined) return undefined;
  if (isBasicExpression(token)) return fromData(evaluate(token.expression, contexts, status));
  if (isString(token)) return token.value;
  if (isBoolean(token) || isNumber(token)) return token.value;
  if (isSequence(token)) return [...token].map((item) => evaluateToken(item, contexts, status));
  if (isMapping(token)) {
    const result: Record<string, unknown> = {};
    for (const pair of token) result[asText(evaluateToken(pair.key, contexts, status))] = evaluateToken(pair.value, contexts, status);
    return result;
  }
  return null;
}

/** A mapping token evaluated into the name → text map a step receives (`with:`, `env:`). */
export function evaluateMapping(token: TemplateToken | undefined, contexts: Contexts, status: Status = OK): Record<string, string> {
  const value = evaluateToken(token, contexts, status);
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ExpressionFailure(`expected a mapping, got ${JSON.stringify(value)}`);
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, asText(v)]));
}

/** Expands `${{ }}` in a plain string (an action.yml default, say) as the runner does. */
export function interpolate(text: string, contexts: Contexts): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_match, expression: string) => asText(evaluate(expression.trim(), contexts)));
}
