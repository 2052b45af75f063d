import * as core from '@actions/core';
import type { Logger } from '@svg-ai-release/rollout';

/**
 * The engine's progress in the runner's channels: phases as collapsible log groups, warnings and
 * failures as annotations a person sees on the run page, everything else as plain log lines.
 */
export function runnerLogger(): Logger {
  return {
    info: (message) => core.info(message),
    warn: (message) => core.warning(message),
    error: (message) => core.error(message),
    group: (name, body) => core.group(name, body),
  };
}
