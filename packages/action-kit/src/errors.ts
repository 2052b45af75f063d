/**
 * An input that failed validation. The message always names the input, the value
 * that was given and what is allowed, so the user can fix the workflow file at once.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    readonly input: string,
    detail: string,
  ) {
    super(`input '${input}': ${detail}`);
  }
}

export { errorMessage } from '@svg-ai-release/rollout';

/** Quote a user value for an error message, shortened so a pasted blob does not flood the log. */
export function quote(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return JSON.stringify(shown);
}
