import { App, Tags, Validations, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { namesOf, type Names } from './names.js';
import { readSettings, type Context, type Settings } from './settings.js';
import { CiAccessStack } from './stacks/ci-access.js';
import { EdgeStack } from './stacks/edge.js';
import { NetworkStack } from './stacks/network.js';
import { ObservabilityStack } from './stacks/observability.js';
import { ServiceStack } from './stacks/service.js';
import { ReplicaStack, StorageStack } from './stacks/storage.js';

/** CDK feature flags this app relies on (set here so tests and `cdk synth` behave the same). */
export const FEATURE_FLAGS = {
  // S3 server access logs are delivered by bucket policy, so the logs bucket needs no ACLs.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  '@aws-cdk/aws-iam:minimizePolicies': true,
  // Cross-stack references stay as exports the consumer depends on (CloudFormation refuses to remove one in use).
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
} as const;

export interface SvgAiApp {
  readonly app: App;
  readonly settings: Settings;
  readonly names: Names;
  readonly network: NetworkStack;
  readonly storage: StorageStack;
  readonly replica: ReplicaStack | undefined;
  readonly service: ServiceStack;
  readonly observability: ObservabilityStack;
  readonly edge: EdgeStack | undefined;
  readonly ci: CiAccessStack;
  readonly stacks: readonly Stack[];
}

export interface BuildOptions {
  /** Where `cdk synth` writes the templates; tests pass a temporary directory. */
  readonly outdir?: string;
  /** Environment fallbacks for account and region (CDK_DEFAULT_ACCOUNT, CDK_DEFAULT_REGION). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Run cdk-nag during synthesis (default true); the figures script turns it off to measure its cost. */
  readonly nag?: boolean;
}

/** The whole production stack, from the context settings; cdk-nag's AwsSolutions pack checks every stack. */
export function buildApp(context: Context, options: BuildOptions = {}): SvgAiApp {
  const settings = readSettings(context, options.env ?? {});
  const names = namesOf(settings);
  const app = new App({ context: { ...FEATURE_FLAGS, ...context }, ...(options.outdir ? { outdir: options.outdir } : {}) });
  const env = { account: settings.account, region: settings.region };
  const stackName = (part: string) => `${settings.name}-${part}`;

  const network = new NetworkStack(app, stackName('network'), settings, { env, description: 'SVG-AI: VPC, endpoints, flow logs' });
  const replica =
    settings.replicationRegion === undefined
      ? undefined
      : new ReplicaStack(app, stackName('models-replica'), names, {
          env: { account: settings.account, region: settings.replicationRegion },
          description: "SVG-AI: the models bucket's replica for disaster recovery",
        });
  const storage = new StorageStack(app, stackName('storage'), settings, names, { env, description: 'SVG-AI: image registry and buckets' });
  if (replica) storage.addStackDependency(replica, 'replication needs its destination bucket');
  const service = new ServiceStack(app, stackName('service'), settings, names, {
    env,
    description: 'SVG-AI: load balancer, ECS cluster, blue and green services',
    vpc: network.vpc,
    repository: storage.repository,
    modelsBucket: storage.modelsBucket,
    uploadsBucket: storage.uploadsBucket,
    logsBucket: storage.logsBucket,
  });
  const observability = new ObservabilityStack(app, stackName('observability'), settings, names, {
    env,
    description: 'SVG-AI: alarms, dashboard, budget',
    loadBalancer: service.loadBalancer,
    targetGroups: { blue: service.blueTargetGroup, green: service.greenTargetGroup },
    services: { blue: service.blueService, green: service.greenService },
    cluster: service.cluster,
  });
  const edge = settings.edge
    ? new EdgeStack(app, stackName('edge'), settings, {
        env: { account: settings.account, region: 'us-east-1' },
        description: 'SVG-AI: CloudFront and its web ACL for the upload page',
      })
    : undefined;
  if (edge) edge.addStackDependency(service, 'CloudFront reaches the ALB by its domain');
  const ci = new CiAccessStack(app, stackName('ci-access'), settings, names, { env, description: 'SVG-AI: GitHub OIDC and the CI roles' });

  // Cost allocation: every resource that takes tags carries these (activate them as cost allocation tags).
  Tags.of(app).add('Project', settings.name);
  Tags.of(app).add('Environment', settings.environment);
  Tags.of(app).add('CostCenter', settings.costCenter);
  Tags.of(app).add('ManagedBy', 'cdk');
  // Findings fail the synth; each acknowledged one is written into the template's metadata with its reason.
  if (options.nag !== false)
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }));

  const stacks = [network, replica, storage, service, observability, edge, ci].filter(
    (stack): stack is NonNullable<typeof stack> => stack !== undefined,
  );
  return { app, settings, names, network, storage, replica, service, observability, edge, ci, stacks };
}
