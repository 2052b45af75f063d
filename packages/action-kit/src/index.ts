export { InputError, errorMessage, quote } from './errors.js';
export { formatDuration } from '@svg-ai-release/rollout';
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
  type Arn,
  type ArnExpectation,
  type IntegerRange,
  type S3Uri,
} from './parsers.js';
export { asString } from './inputs.js';
export {
  declareInputs,
  input,
  inputNames,
  mergeInputs,
  readInput,
  readInputs,
  type DefaultedInput,
  type InputDeclaration,
  type InputNames,
  type InputParser,
  type InputSpec,
  type InputValue,
  type InputValues,
  type OptionalInput,
  type RequiredInput,
  type SwitchableInput,
} from './declare.js';
export { runAction } from './run-action.js';
export { escapeCell, markdownLink, markdownTable, textTable, writeSummary, type Cell, type SummarySection } from './summary.js';
export { actionContract, type ActionContract } from './contract.js';
export { RELEASE_VERSION } from './version.js';
