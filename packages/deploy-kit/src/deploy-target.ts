/**
 * The inputs that name what a rollout drives, shared by the canary and blue-green actions: the production
 * listener (or rule), the optional test listener and the host name it answers for, the cluster and the two
 * services, the image and its container settings, and where the AWS clients point. Each input is parsed on
 * its own; `deployTarget` then checks them against each other, naming the input at fault.
 */
import {
  InputError,
  asString,
  input,
  parseArn,
  parseEcsRef,
  parseHttpUrl,
  parseImageDigestRef,
  parseKeyValueList,
  parseRegion,
  quote,
  type Arn,
  type InputValues,
} from '@svg-ai-release/action-kit';

export interface DeployTarget {
  readonly listener: Arn;
  readonly testListener: Arn | undefined;
  /** The host name the test listener (rule) answers for: Host header and TLS server name of smoke checks and probes. */
  readonly testHost: string | undefined;
  readonly cluster: string;
  readonly blueService: string;
  readonly greenService: string;
  /** Undefined for the modes that act on the rollout recorded in AWS (resume, promote, abort). */
  readonly image: string | undefined;
  readonly containerName: string | undefined;
  readonly environment: ReadonlyMap<string, string>;
  readonly region: string;
  readonly endpointUrl: URL | undefined;
}

const LISTENER_TYPES = { service: 'elasticloadbalancing', resourceTypes: ['listener', 'listener-rule'] } as const;
const listenerArn = (name: string, raw: string) => parseArn(name, raw, LISTENER_TYPES);

/** A DNS host name (what a certificate names and a Host header carries), lower-cased. */
export function parseHostName(name: string, raw: string): string {
  const value = raw.trim().toLowerCase();
  const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
  if (value.length <= 253 && value.split('.').every((part) => label.test(part))) return value;
  throw new InputError(name, `${quote(raw)} is not a host name like svg-ai.example.com (no scheme, port or path)`);
}

export type TargetInputKey =
  | 'listenerArn'
  | 'testListenerArn'
  | 'testHost'
  | 'cluster'
  | 'blueService'
  | 'greenService'
  | 'image'
  | 'containerName'
  | 'environment'
  | 'awsRegion'
  | 'endpointUrl';

/** The target inputs' declarations; each action gives the descriptions, and says whether it needs a test listener. */
export function targetInputs(descriptions: Readonly<Record<TargetInputKey, string>>, options: { testListenerRequired: boolean }) {
  const d = descriptions;
  return {
    listenerArn: input.required({ name: 'listener-arn', description: d.listenerArn, parse: listenerArn }),
    testListenerArn: options.testListenerRequired
      ? input.required({ name: 'test-listener-arn', description: d.testListenerArn, parse: listenerArn })
      : input.optional({ name: 'test-listener-arn', description: d.testListenerArn, parse: listenerArn }),
    testHost: input.optional({ name: 'test-host', description: d.testHost, parse: parseHostName }),
    cluster: input.required({ name: 'cluster', description: d.cluster, parse: (n, r) => parseEcsRef(n, r, 'cluster') }),
    blueService: input.required({ name: 'blue-service', description: d.blueService, parse: (n, r) => parseEcsRef(n, r, 'service') }),
    greenService: input.required({ name: 'green-service', description: d.greenService, parse: (n, r) => parseEcsRef(n, r, 'service') }),
    image: input.optional({ name: 'image', description: d.image, parse: parseImageDigestRef }),
    containerName: input.optional({ name: 'container-name', description: d.containerName, parse: asString }),
    environment: input.optional({ name: 'environment', description: d.environment, parse: parseKeyValueList }),
    awsRegion: input.optional({ name: 'aws-region', description: d.awsRegion, parse: parseRegion }),
    endpointUrl: input.optional({ name: 'endpoint-url', description: d.endpointUrl, parse: parseHttpUrl }),
  };
}

type TargetValues = InputValues<ReturnType<typeof targetInputs>>;

/** Checks the target inputs against each other; every refusal names the input at fault. */
export function deployTarget(values: TargetValues): DeployTarget {
  const region = values.awsRegion ?? values.listenerArn.region;
  const inRegion = (name: string, arn: Arn | string | undefined) => {
    const found = typeof arn === 'string' ? (arn.startsWith('arn:') ? arn.split(':')[3] : undefined) : arn?.region;
    if (found === undefined || found === region) return;
    const why = values.awsRegion !== undefined ? `'aws-region' is ${region}` : `'listener-arn' is in ${region}`;
    throw new InputError(
      name,
      `${quote(typeof arn === 'string' ? arn : arn!.arn)} is in region ${found}, but ${why}; all resources must be in one region`,
    );
  };
  if (values.awsRegion !== undefined && values.listenerArn.region !== region) {
    throw new InputError(
      'listener-arn',
      `${quote(values.listenerArn.arn)} is in region ${values.listenerArn.region}, but the action works in ${region} ('aws-region')`,
    );
  }
  inRegion('test-listener-arn', values.testListenerArn);
  inRegion('cluster', values.cluster);
  inRegion('blue-service', values.blueService);
  inRegion('green-service', values.greenService);
  if (values.testListenerArn && values.testListenerArn.arn === values.listenerArn.arn) {
    throw new InputError(
      'test-listener-arn',
      'is the production listener itself; give a listener (or rule) that reaches only the idle colour',
    );
  }
  if (values.testHost !== undefined && values.testListenerArn === undefined) {
    throw new InputError('test-host', "needs 'test-listener-arn': it is the host name the test listener answers for");
  }
  if (values.blueService === values.greenService) {
    throw new InputError('green-service', `names the same service as 'blue-service' (${values.blueService}); blue and green must differ`);
  }
  return {
    listener: values.listenerArn,
    testListener: values.testListenerArn,
    testHost: values.testHost,
    cluster: values.cluster,
    blueService: values.blueService,
    greenService: values.greenService,
    image: values.image,
    containerName: values.containerName,
    environment: values.environment ?? new Map(),
    region,
    endpointUrl: values.endpointUrl,
  };
}
