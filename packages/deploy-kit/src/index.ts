export { consoleLinks, type ConsoleLink } from './console-links.js';
export { runContext, type RunContext } from './context.js';
export { revisionSpec } from './revision.js';
export { publishOutputs, SETTLED, type DeployOutputNames } from './results.js';
export { runDeployAction, type DeployAction, type DeploySpec } from './run-deploy.js';
