import * as core from '@actions/core';
import { errorMessage } from './errors.js';

/**
 * The one failure funnel of every action. Code below it throws; this reports once,
 * prefixed with the action's name, puts the stack in the debug log, and sets the exit code.
 * Nothing else in an action calls `setFailed`.
 */
export async function runAction(name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof Error && error.stack) core.debug(error.stack);
    core.setFailed(`${name}: ${errorMessage(error)}`);
  }
}
