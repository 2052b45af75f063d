/**
 * What a rollout is, kept with its lock in AWS so that `resume`, `promote` and `abort` need only the
 * environment: the inputs that define the rollout (image, model version, plan, analysis settings), as the
 * text the workflow gave them. A later run reads its inputs through the record: a recorded input is taken
 * from the record, and an input the run sets to something else is refused, naming both values.
 *
 * The runner passes action.yml defaults as if the workflow had set them, so an input whose text equals its
 * default cannot be told apart from one left out: it counts as not given, and the record decides.
 */
import { InputError, quote, type InputDeclaration, type InputSpec } from '@svg-ai-release/action-kit';
import type { InputSource } from './spec.js';

/**
 * Inputs that say where and how this run works rather than what the rollout is: never recorded, always
 * taken from the run (an operator's run gives its own mode, credentials region and time budget).
 */
export const RUN_INPUTS: ReadonlySet<string> = new Set([
  'mode',
  'take-over',
  'time-budget',
  'aws-region',
  'endpoint-url',
  'listener-arn',
  'test-listener-arn',
  'cluster',
  'blue-service',
  'green-service',
]);

function defaultText(spec: InputSpec<unknown>): string | undefined {
  return spec.kind === 'default' || spec.kind === 'default-or-off' ? spec.default : undefined;
}

/** The text an input was given, or undefined when it was left out (or given its default). */
function givenText(spec: InputSpec<unknown>, get: InputSource): string | undefined {
  const raw = get(spec.name).trim();
  // An empty value of an input with a default that can be switched off was set on purpose: it is recorded.
  if (raw === '' && spec.kind === 'default-or-off') return '';
  if (raw === '' || raw === defaultText(spec)) return undefined;
  return raw;
}

/** The rollout-defining inputs this run was given, as `{ name: text }` JSON (defaults left out: they are implied). */
export function recordInputs(declaration: InputDeclaration, get: InputSource): string {
  const given: Record<string, string> = {};
  for (const spec of Object.values(declaration)) {
    if (RUN_INPUTS.has(spec.name)) continue;
    const text = givenText(spec, get);
    if (text !== undefined) given[spec.name] = text;
  }
  return JSON.stringify(given);
}

export function parseRecord(text: string): Readonly<Record<string, string>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`the rollout record kept with the lock is not valid JSON: ${quote(text)}; abort the rollout`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
    throw new Error(`the rollout record kept with the lock is not a map of input texts: ${quote(text)}; abort the rollout`);
  }
  return parsed as Record<string, string>;
}

/**
 * The inputs as the rollout recorded them, with the run's own inputs (RUN_INPUTS) on top. An input the
 * run gives that contradicts the record is refused: a resume continues the recorded rollout exactly.
 */
export function recordedSource(declaration: InputDeclaration, get: InputSource, recorded: Readonly<Record<string, string>>): InputSource {
  const specs = new Map(Object.values(declaration).map((spec) => [spec.name, spec]));
  for (const [name, spec] of specs) {
    if (RUN_INPUTS.has(name)) continue;
    const given = givenText(spec, get);
    const wanted = recorded[name] ?? defaultText(spec);
    if (given !== undefined && given !== wanted) {
      throw new InputError(
        name,
        `is ${quote(given)}, but the rollout in progress was started with ${wanted === undefined ? 'none' : quote(wanted)}; ` +
          'leave it out to continue the recorded rollout, or abort it first',
      );
    }
  }
  return (name) => {
    if (RUN_INPUTS.has(name) || !specs.has(name)) return get(name);
    return recorded[name] ?? defaultText(specs.get(name)!) ?? '';
  };
}
