/**
 * One declaration per input. Each input is declared once, with its action.yml name, its description,
 * whether it is required, the default text action.yml gives it, and the strict parser that reads it.
 * The typed reader is derived from the declaration (`readInputs`), and a test helper
 * (`declarationDifferences` in `@svg-ai-release/action-kit/testing`) compares the declaration with
 * action.yml both ways, so that names, descriptions, defaults and required flags cannot drift.
 *
 * ```ts
 * export const INPUTS = declareInputs({
 *   cluster: input.required({ name: 'cluster', description: 'Name or ARN of the ECS cluster.', parse: asString }),
 *   bakeTime: input.withDefault({ name: 'bake-time', description: 'How long each step bakes.', default: '5m', parse: parseDuration }),
 *   alarms: input.optional({ name: 'alarms', description: 'CloudWatch alarm names.', parse: parseList }),
 * });
 * const values = readInputs(INPUTS); // { cluster: string; bakeTime: number; alarms: string[] | undefined }
 * ```
 */
import * as core from '@actions/core';
import { InputError } from './errors.js';

/** A strict parser: the input's name (for the message) and its raw text in, a typed value or an InputError out. */
export type InputParser<T> = (input: string, raw: string) => T;

interface InputSpecBase<T> {
  /** The kebab-case name in action.yml. */
  readonly name: string;
  /** The description in action.yml (white space is compared collapsed, so YAML folding does not matter). */
  readonly description: string;
  readonly parse: InputParser<T>;
}

/** Must be given: an empty value is refused, naming the input. */
export interface RequiredInput<T> extends InputSpecBase<T> {
  readonly kind: 'required';
}

/** Has a default text, which action.yml declares too; an empty value reads as the default. */
export interface DefaultedInput<T> extends InputSpecBase<T> {
  readonly kind: 'default';
  readonly default: string;
}

/** May be left out: an empty value reads as undefined. */
export interface OptionalInput<T> extends InputSpecBase<T> {
  readonly kind: 'optional';
}

/**
 * Has a default in action.yml (which the runner passes when the workflow does not set the input), but
 * an empty value given on purpose turns the feature off: it reads as undefined, never as the default.
 */
export interface SwitchableInput<T> extends InputSpecBase<T> {
  readonly kind: 'default-or-off';
  readonly default: string;
}

export type InputSpec<T> = RequiredInput<T> | DefaultedInput<T> | OptionalInput<T> | SwitchableInput<T>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a declaration holds parsers of many value types
export type InputDeclaration = Readonly<Record<string, InputSpec<any>>>;

/** The value an input reads as: optional inputs may be undefined, the others never are. */
export type InputValue<S> =
  S extends OptionalInput<infer T>
    ? T | undefined
    : S extends SwitchableInput<infer T>
      ? T | undefined
      : S extends InputSpec<infer T>
        ? T
        : never;

export type InputValues<D extends InputDeclaration> = { readonly [K in keyof D]: InputValue<D[K]> };

/** The action.yml names of a declaration, by key: for messages that name another input. */
export type InputNames<D extends InputDeclaration> = { readonly [K in keyof D]: string };

export const input = {
  required: <T>(spec: Omit<RequiredInput<T>, 'kind'>): RequiredInput<T> => ({ kind: 'required', ...spec }),
  withDefault: <T>(spec: Omit<DefaultedInput<T>, 'kind'>): DefaultedInput<T> => ({ kind: 'default', ...spec }),
  optional: <T>(spec: Omit<OptionalInput<T>, 'kind'>): OptionalInput<T> => ({ kind: 'optional', ...spec }),
  defaultOrOff: <T>(spec: Omit<SwitchableInput<T>, 'kind'>): SwitchableInput<T> => ({ kind: 'default-or-off', ...spec }),
};

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Checks a declaration once, when the action's module loads: names are kebab-case and unique,
 * descriptions are not empty, and every default parses (a default its own parser refuses would fail
 * every run that relies on it).
 */
export function declareInputs<const D extends InputDeclaration>(declaration: D): D {
  const seen = new Set<string>();
  for (const [key, spec] of Object.entries(declaration)) {
    if (!KEBAB.test(spec.name)) throw new Error(`input declaration '${key}': name '${spec.name}' is not kebab-case`);
    if (seen.has(spec.name)) throw new Error(`input declaration '${key}': name '${spec.name}' is declared twice`);
    seen.add(spec.name);
    if (spec.description.trim() === '') throw new Error(`input declaration '${key}' (${spec.name}) has no description`);
    if (spec.kind === 'default' || spec.kind === 'default-or-off') spec.parse(spec.name, spec.default);
  }
  return Object.freeze({ ...declaration });
}

/** Combines declarations (e.g. the inputs two actions share and the ones of each), refusing a key or name given twice. */
export function mergeInputs<const A extends InputDeclaration, const B extends InputDeclaration>(a: A, b: B): A & B {
  for (const key of Object.keys(b)) if (key in a) throw new Error(`input declaration '${key}' is declared twice`);
  return declareInputs({ ...a, ...b });
}

export function inputNames<const D extends InputDeclaration>(declaration: D): InputNames<D> {
  return Object.freeze(Object.fromEntries(Object.entries(declaration).map(([key, spec]) => [key, spec.name]))) as InputNames<D>;
}

/** Reads one input's raw text through its declaration (`get` returns the runner's value, '' when not set). */
export function readInput<T>(spec: InputSpec<T>, get: (name: string) => string = core.getInput): T | undefined {
  const raw = get(spec.name);
  if (raw.trim() !== '') return spec.parse(spec.name, raw);
  switch (spec.kind) {
    case 'required':
      throw new InputError(spec.name, 'is required but was not given');
    case 'default':
      return spec.parse(spec.name, spec.default);
    case 'optional':
    case 'default-or-off':
      return undefined;
  }
}

/**
 * Reads every declared input, in declaration order, into a readonly object with the declaration's keys.
 * The first refusal is thrown; it names the input, the value and what is allowed.
 */
export function readInputs<const D extends InputDeclaration>(
  declaration: D,
  get: (name: string) => string = core.getInput,
): InputValues<D> {
  const values: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(declaration)) values[key] = readInput(spec, get);
  return Object.freeze(values) as InputValues<D>;
}
