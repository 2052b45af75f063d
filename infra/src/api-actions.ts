/**
 * The AWS API actions the release actions call, read from their one declaration in packages/aws.
 * The file is imported by its source path: it is plain data with no imports, and reading the source
 * (not a built copy) means the policies synthesised here follow the code as it is, not as last built.
 */
export {
  AWS_API_ACTIONS,
  AWS_EXTRA_PERMISSIONS,
  BUILD_PUSH_API_ACTIONS,
  BUILD_PUSH_REGISTRY_PERMISSIONS,
  MODEL_REGISTRY_API_ACTIONS,
} from '../../packages/aws/src/api-actions.js';
