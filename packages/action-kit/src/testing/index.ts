export { inputEnvName, parseCommandFile } from './command-files.js';
export {
  createRunnerFiles,
  readRunnerFiles,
  runActionProcess,
  runnerEnv,
  withRunnerEnv,
  type ProcessResult,
  type RunnerFiles,
  type RunnerResult,
  type SpawnOptions,
} from './runner.js';
export { contractDifferences, declarationDifferences, loadActionYml, type ActionMetadata, type ActionMetadataEntry } from './action-yml.js';
