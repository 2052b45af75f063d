/**
 * The release of svg-ai-release these actions belong to (one version for the repository). It goes
 * into the user agent of every AWS call, so CloudTrail shows which release changed a listener.
 * A test keeps it equal to the version in the root package.json.
 */
export const RELEASE_VERSION = '0.1.0';
