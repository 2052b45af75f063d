export { InputError, errorMessage, quote } from './errors.js';
export {
  parseArn,
  parseBoolean,
  parseDuration,
  parseEnum,
  parseImageDigestRef,
  parseInteger,
  parseKeyValueList,
  parseList,
  parseNumber,
  parsePercentSteps,
  parseRegion,
  parseS3Uri,
  parseEcsRef,
  parseHttpUrl,
  parseRequestPath,
  parseModelVersion,
  formatDuration,
  type Arn,
  type ArnExpectation,
  type IntegerRange,
  type S3Uri,
} from './parsers.js';
export { asString, readOptional, readRequired, readWithDefault } from './inputs.js';
export { runAction } from './run-action.js';
export { escapeCell, markdownLink, markdownTable, textTable, writeSummary, type Cell, type SummarySection } from './summary.js';
export { actionContract, type ActionContract } from './contract.js';
export { readDeployTarget, type DeployTarget, type DeployTargetInputNames } from './deploy-target.js';
export { RELEASE_VERSION } from './version.js';
