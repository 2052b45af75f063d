import { actionContract } from '@svg-ai-release/action-kit';

/** Input and output names, declared once; a test checks them against action.yml both ways. */
export const BUILD_PUSH = actionContract({
  name: 'build-push',
  inputs: {
    repository: 'repository',
    context: 'context',
    file: 'file',
    tags: 'tags',
    buildArgs: 'build-args',
    platforms: 'platforms',
    push: 'push',
    failOnSeverity: 'fail-on-severity',
    awsRegion: 'aws-region',
    endpointUrl: 'endpoint-url',
  },
  outputs: {
    image: 'image',
    digest: 'digest',
    registry: 'registry',
  },
});
