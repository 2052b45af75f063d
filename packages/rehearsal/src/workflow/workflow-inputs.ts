/** A called or dispatched workflow's inputs, resolved against what it declares. */
import { evaluateToken } from './expressions.js';
import { WorkflowError, type tokenAt } from './load.js';

/** A called or dispatched workflow's inputs: declared ones only, required ones present, defaults applied, types as declared. */
export function resolveInputs(
  file: string,
  definitions: ReturnType<typeof tokenAt>,
  given: Readonly<Record<string, unknown>>,
  github: object,
): Record<string, unknown> {
  const declared = (evaluateToken(definitions, { github }) ?? {}) as Record<
    string,
    { type?: string; required?: boolean; default?: unknown; options?: string[] } | null
  >;
  for (const name of Object.keys(given))
    if (!(name in declared))
      throw new WorkflowError(`${file} declares no input '${name}' (it declares: ${Object.keys(declared).join(', ')})`);
  const inputs: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(declared)) {
    const type = definition?.type ?? 'string';
    const value = name in given ? given[name] : definition?.default;
    if (value === undefined || value === null) {
      if (definition?.required) throw new WorkflowError(`${file} requires input '${name}', which was not passed`);
      inputs[name] = type === 'boolean' ? false : type === 'number' ? 0 : '';
      continue;
    }
    if (type === 'boolean') {
      if (value !== true && value !== false && value !== 'true' && value !== 'false')
        throw new WorkflowError(`${file}: input '${name}' is a boolean, got ${JSON.stringify(value)}`);
      inputs[name] = value === true || value === 'true';
    } else if (type === 'number') {
      const number = Number(value);
      if (!Number.isFinite(number)) throw new WorkflowError(`${file}: input '${name}' is a number, got ${JSON.stringify(value)}`);
      inputs[name] = number;
    } else {
      if (type === 'choice' && definition?.options && !definition.options.includes(String(value)))
        throw new WorkflowError(`${file}: input '${name}' must be one of ${definition.options.join(', ')}, got ${JSON.stringify(value)}`);
      inputs[name] = String(value);
    }
  }
  return inputs;
}
