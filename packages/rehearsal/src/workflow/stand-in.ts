/**
 * The GitHub side of a rehearsal on the stand-in: the environments (staging, production) with the
 * variables the workflows read, pointing at the stand-in's resources and scaled-down analysis timing,
 * and the credentials the configure-aws-credentials equivalent hands out.
 */
import { AWS_CREDENTIALS, type World } from '../world.js';
import { runnerNode, REPO_ROOT } from '../paths.js';
import type { EnvironmentSetup, RunOptions } from './runner.js';

/** The IAM role a deployment assumes (what the trust policy in the README grants). */
export function roleArn(world: World): string {
  return `arn:aws:iam::${world.local.accountId}:role/svg-ai-release-deploy`;
}

/** One environment's variables, as in its GitHub settings; both rehearsal environments target the one stand-in. */
export function environmentVars(world: World): Record<string, string> {
  return {
    AWS_ROLE_ARN: roleArn(world),
    AWS_REGION: world.local.region,
    LISTENER_ARN: world.arns.productionListener,
    TEST_LISTENER_ARN: world.arns.testListener,
    CLUSTER: world.arns.cluster,
    BLUE_SERVICE: world.arns.blueService,
    GREEN_SERVICE: world.arns.greenService,
    // The stand-in publishes metrics every second: analysis on the same scale.
    BAKE_TIME: '4s',
    ANALYSIS_INTERVAL: '1s',
    METRIC_PERIOD: '1s',
    METRIC_DELAY: '1s',
    // Clients send real conversions, a quarter of the requests: a p95 over fewer than 25 requests is one slow
    // conversion on a shared machine, not the release.
    MIN_REQUESTS: '25',
    KEEP_OLD_FOR: '3s',
    WAIT_HEALTHY_TIMEOUT: '90s',
  };
}

/** The environments the pipelines use: staging, production (with reviewers), and models (the model registry). */
export function environments(world: World, production: { reviewers: boolean }): Record<string, EnvironmentSetup> {
  return {
    staging: { vars: environmentVars(world) },
    production: { vars: environmentVars(world), reviewers: production.reviewers },
    models: { vars: { AWS_ROLE_ARN: roleArn(world), AWS_REGION: world.local.region, MODEL_REGISTRY_BUCKET: 'svg-ai-models' } },
  };
}

/** The repository's own variables (jobs without an environment read these): the build's role and registry. */
export function repositoryVars(world: World): Record<string, string> {
  return {
    AWS_REGION: world.local.region,
    BUILD_ROLE_ARN: roleArn(world),
    ECR_REPOSITORY: 'svg-ai',
    // service/Dockerfile pulls its base image from Docker Hub: the build here makes a FROM scratch image of the same files.
    IMAGE_DOCKERFILE: 'packages/rehearsal/image/Dockerfile',
  };
}

export function standInAws(world: World): { endpoint: string; accessKeyId: string; secretAccessKey: string } {
  return { endpoint: world.local.endpoint, ...AWS_CREDENTIALS };
}

/** What a run on the stand-in needs besides its workflow and event: this repository, the stand-in's vars and
 * environments (production without reviewers), every approval given, the stand-in's AWS and the runner's Node. */
export function standInRunOptions(world: World): Omit<RunOptions, 'workflow' | 'event'> {
  return {
    root: REPO_ROOT,
    vars: repositoryVars(world),
    environments: environments(world, { reviewers: false }),
    approve: async () => true,
    aws: standInAws(world),
    node: runnerNode(),
  };
}
