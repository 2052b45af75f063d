import * as core from '@actions/core';
import { InputError } from './errors.js';

/**
 * Reads one input through a strict parser. `getInput` is only called here, so every action
 * reads its inputs the same way: trimmed, required ones refused when empty (naming the input),
 * optional ones parsed from their default (from action.yml) or left undefined.
 */
export function readRequired<T>(name: string, parse: (input: string, raw: string) => T): T {
  const raw = core.getInput(name);
  if (raw.trim() === '') throw new InputError(name, 'is required but was not given');
  return parse(name, raw);
}

export function readOptional<T>(name: string, parse: (input: string, raw: string) => T): T | undefined {
  const raw = core.getInput(name);
  return raw.trim() === '' ? undefined : parse(name, raw);
}

/** Reads an input whose action.yml declares a default: the runner always passes a value. */
export function readWithDefault<T>(name: string, parse: (input: string, raw: string) => T, fallback: string): T {
  const raw = core.getInput(name);
  return parse(name, raw.trim() === '' ? fallback : raw);
}

/** A plain string input, trimmed. */
export const asString = (_input: string, raw: string): string => raw.trim();
