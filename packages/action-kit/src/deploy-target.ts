/**
 * Reading the inputs that name what a rollout drives, shared by the canary and blue-green
 * actions: the production listener (or rule), the optional test listener, the cluster and the
 * two services, the image and its container settings, and where the AWS clients point.
 */
import { InputError } from './errors.js';
import { readOptional, readRequired, asString } from './inputs.js';
import { parseArn, parseEcsRef, parseHttpUrl, parseImageDigestRef, parseKeyValueList, parseRegion, type Arn } from './parsers.js';

export interface DeployTargetInputNames {
  readonly listenerArn: string;
  readonly testListenerArn: string;
  readonly cluster: string;
  readonly blueService: string;
  readonly greenService: string;
  readonly image: string;
  readonly containerName: string;
  readonly environment: string;
  readonly awsRegion: string;
  readonly endpointUrl: string;
}

export interface DeployTarget {
  readonly listener: Arn;
  readonly testListener: Arn | undefined;
  readonly cluster: string;
  readonly blueService: string;
  readonly greenService: string;
  readonly image: string;
  readonly containerName: string | undefined;
  readonly environment: ReadonlyMap<string, string>;
  readonly region: string;
  readonly endpointUrl: URL | undefined;
}

const LISTENER_TYPES = { service: 'elasticloadbalancing', resourceTypes: ['listener', 'listener-rule'] } as const;

export function readDeployTarget(names: DeployTargetInputNames): DeployTarget {
  const explicitRegion = readOptional(names.awsRegion, parseRegion);
  const listener = readRequired(names.listenerArn, (input, raw) => parseArn(input, raw, { ...LISTENER_TYPES, region: explicitRegion }));
  const region = explicitRegion ?? listener.region;
  const testListener = readOptional(names.testListenerArn, (input, raw) => parseArn(input, raw, { ...LISTENER_TYPES, region }));
  if (testListener && testListener.arn === listener.arn) {
    throw new InputError(names.testListenerArn, `is the production listener itself; give a listener that reaches only the idle colour`);
  }
  const blueService = readRequired(names.blueService, (input, raw) => parseEcsRef(input, raw, 'service'));
  const greenService = readRequired(names.greenService, (input, raw) => parseEcsRef(input, raw, 'service'));
  if (blueService === greenService) {
    throw new InputError(
      names.greenService,
      `names the same service as '${names.blueService}' (${blueService}); blue and green must differ`,
    );
  }
  return {
    listener,
    testListener,
    cluster: readRequired(names.cluster, (input, raw) => parseEcsRef(input, raw, 'cluster')),
    blueService,
    greenService,
    image: readRequired(names.image, parseImageDigestRef),
    containerName: readOptional(names.containerName, asString),
    environment: readOptional(names.environment, parseKeyValueList) ?? new Map(),
    region,
    endpointUrl: readOptional(names.endpointUrl, parseHttpUrl),
  };
}
