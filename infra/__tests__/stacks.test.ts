// Every property the production stack promises, asserted on the synthesised templates of the app with
// every optional feature on (HTTPS, edge, replication, secrets); the defaults have their own suite.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { FULL, nagFindings, resourcesOf, synthesise, type Synthesised } from './fixture.js';

let synth: Synthesised;
beforeAll(() => {
  synth = synthesise(FULL);
});
afterAll(() => synth?.cleanup());

const service = () => synth.built.service;

interface Container {
  Environment: { Name: string; Value: unknown }[];
  Secrets: { Name: string; ValueFrom: unknown }[];
}
function containerOf(): Container {
  const [, taskDefinition] = resourcesOf(synth.json(service()), 'AWS::ECS::TaskDefinition')[0] ?? [];
  const containers = taskDefinition?.Properties?.['ContainerDefinitions'] as Container[];
  expect(containers).toHaveLength(1);
  return containers[0] as Container;
}

describe('cdk-nag AwsSolutions', () => {
  test('leaves no unacknowledged finding on any stack', () => {
    const stacks = synth.built.stacks;
    expect(stacks.map((stack) => stack.stackName)).toEqual([
      'svg-ai-network',
      'svg-ai-models-replica',
      'svg-ai-storage',
      'svg-ai-service',
      'svg-ai-observability',
      'svg-ai-edge',
      'svg-ai-ci-access',
    ]);
    for (const stack of stacks)
      expect({ stack: stack.stackName, findings: nagFindings(stack) }).toEqual({ stack: stack.stackName, findings: [] });
  });
});

describe('network', () => {
  test('a VPC over two named zones with public and private subnets and one NAT per zone when asked', () => {
    const t = synth.template(synth.built.network);
    t.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.20.0.0/16' });
    t.resourceCountIs('AWS::EC2::Subnet', 4);
    const zones = resourcesOf(synth.json(synth.built.network), 'AWS::EC2::Subnet').map(
      ([, subnet]) => subnet.Properties?.['AvailabilityZone'],
    );
    expect(new Set(zones)).toEqual(new Set(['eu-west-1a', 'eu-west-1b']));
    t.resourceCountIs('AWS::EC2::NatGateway', 2);
  });

  test('endpoints for S3 (gateway), ECR, CloudWatch Logs and Secrets Manager, reachable on 443 from the VPC only', () => {
    const t = synth.template(synth.built.network);
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway', ServiceName: Match.objectLike({}) });
    for (const service of ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager']) {
      t.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Interface',
        ServiceName: `com.amazonaws.eu-west-1.${service}`,
        PrivateDnsEnabled: true,
      });
    }
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Interface endpoints: HTTPS from inside the VPC',
      SecurityGroupIngress: [Match.objectLike({ CidrIp: '10.20.0.0/16', FromPort: 443, ToPort: 443 })],
    });
  });

  test('flow logs of all traffic into a log group with retention', () => {
    const t = synth.template(synth.built.network);
    t.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });
});

describe('security groups', () => {
  test('the ALB takes 80 and 443 from anywhere and the test port only from the given CIDRs', () => {
    const t = synth.template(service());
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('load balancer'),
      SecurityGroupIngress: [
        Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 80, ToPort: 80 }),
        Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 }),
        Match.objectLike({ CidrIp: '203.0.113.0/24', FromPort: 8443, ToPort: 8443 }),
        Match.objectLike({ CidrIp: '198.51.100.7/32', FromPort: 8443, ToPort: 8443 }),
      ],
    });
  });

  test('tasks take the service port from the ALB security group only, and send only HTTPS out', () => {
    const json = synth.json(service());
    const ingress = resourcesOf(json, 'AWS::EC2::SecurityGroupIngress').map(([, rule]) => rule.Properties);
    expect(ingress).toEqual([
      expect.objectContaining({
        FromPort: 8080,
        ToPort: 8080,
        SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^AlbSecurityGroup/), 'GroupId'] },
      }),
    ]);
    synth.template(service()).hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('tasks'),
      SecurityGroupIngress: Match.absent(),
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 })],
    });
  });
});

describe('load balancing', () => {
  test('an internet-facing ALB named like the topology, dropping invalid headers, logging to the logs bucket', () => {
    synth
      .template(service())
      .hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Name: 'svg-ai', Scheme: 'internet-facing' });
    const [, alb] = resourcesOf(synth.json(service()), 'AWS::ElasticLoadBalancingV2::LoadBalancer')[0] ?? [];
    const attributes = Object.fromEntries(
      (alb?.Properties?.['LoadBalancerAttributes'] as { Key: string; Value: unknown }[]).map((a) => [a.Key, a.Value]),
    );
    expect(attributes).toEqual(
      expect.objectContaining({
        'routing.http.drop_invalid_header_fields.enabled': 'true',
        'deletion_protection.enabled': 'true',
        'access_logs.s3.enabled': 'true',
        'access_logs.s3.bucket': { 'Fn::ImportValue': expect.stringContaining('LogsBucket') },
        'access_logs.s3.prefix': 'alb',
      }),
    );
  });

  test('HTTPS on 443 with the ACM certificate, weighted 100/0 to blue and green; HTTP 80 redirects to HTTPS', () => {
    const t = synth.template(service());
    t.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: 'svg-ai.example.com', ValidationMethod: 'DNS' });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: { Ref: Match.stringLikeRegexp('^Certificate') } }],
      DefaultActions: [
        {
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: { Ref: Match.stringLikeRegexp('^BlueTargetGroup') }, Weight: 100 },
              { TargetGroupArn: { Ref: Match.stringLikeRegexp('^GreenTargetGroup') }, Weight: 0 },
            ],
          },
        },
      ],
    });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
    });
    t.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'svg-ai.example.com.', Type: 'A' });
  });

  test('the test listener on its own port forwards to the idle (green) target group', () => {
    synth.template(service()).hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 8443,
      Protocol: 'HTTPS',
      DefaultActions: [
        {
          Type: 'forward',
          ForwardConfig: { TargetGroups: [{ TargetGroupArn: { Ref: Match.stringLikeRegexp('^GreenTargetGroup') }, Weight: 1 }] },
        },
      ],
    });
  });

  test('two IP target groups checking /ready with the settings, draining in 30 s', () => {
    for (const name of ['svg-ai-blue', 'svg-ai-green']) {
      synth.template(service()).hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        Name: name,
        TargetType: 'ip',
        Port: 8080,
        Protocol: 'HTTP',
        HealthCheckPath: '/ready',
        HealthCheckIntervalSeconds: 10,
        HealthCheckTimeoutSeconds: 5,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 2,
        Matcher: { HttpCode: '200' },
        TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }]),
      });
    }
  });

  test('a regional WAF web ACL is associated with the ALB', () => {
    const t = synth.template(service());
    t.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'REGIONAL' });
    t.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { Ref: Match.stringLikeRegexp('^LoadBalancer') },
      WebACLArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebAcl'), 'Arn'] },
    });
  });
});

describe('compute', () => {
  test('a cluster with Fargate and Fargate Spot capacity providers and Container Insights', () => {
    const t = synth.template(service());
    t.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterName: 'svg-ai',
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
    t.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', { CapacityProviders: ['FARGATE', 'FARGATE_SPOT'] });
  });

  test('the task definition: 1 vCPU / 2 GB, non-root, read-only root with a /tmp volume, logs, model bucket and version', () => {
    synth.template(service()).hasResourceProperties('AWS::ECS::TaskDefinition', {
      Family: 'svg-ai',
      Cpu: '1024',
      Memory: '2048',
      NetworkMode: 'awsvpc',
      RequiresCompatibilities: ['FARGATE'],
      Volumes: [{ Name: 'tmp' }],
      ContainerDefinitions: [
        Match.objectLike({
          Name: 'svg-ai',
          User: '10001:10001',
          ReadonlyRootFilesystem: true,
          PortMappings: [{ ContainerPort: 8080, Protocol: 'tcp' }],
          MountPoints: [{ ContainerPath: '/tmp', SourceVolume: 'tmp', ReadOnly: false }],
          LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
        }),
      ],
    });
    synth.template(service()).hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/ecs/svg-ai', RetentionInDays: 30 });
    const environment = Object.fromEntries(containerOf().Environment.map((entry) => [entry.Name, entry.Value]));
    expect(environment).toEqual(
      expect.objectContaining({
        MODEL_S3_BUCKET: { 'Fn::ImportValue': expect.stringContaining('ModelsBucket') },
        MODEL_S3_PREFIX: 'models/',
        MODEL_VERSION: '1.4.0',
        UPLOAD_BUCKET: { 'Fn::ImportValue': expect.stringContaining('UploadsBucket') },
        LOG_FORMAT: 'json',
        PORT: '8080',
      }),
    );
  });

  test('secrets come from Secrets Manager through the task definition, never as plain environment', () => {
    const container = containerOf();
    expect(container.Secrets.map((secret) => secret.Name)).toEqual(['SVGAI_API_TOKEN']);
    expect(JSON.stringify(container.Secrets[0]?.ValueFrom)).toContain(
      ':secretsmanager:eu-west-1:123456789012:secret:svg-ai/service:api-token::',
    );
    expect(container.Environment.map((entry) => entry.Name)).not.toContain('SVGAI_API_TOKEN');
    // The execution role may read that secret, so ECS can inject it.
    expect(JSON.stringify(synth.json(service()))).toContain('secret:svg-ai/service-??????');
  });

  test('two services, blue and green, with the circuit breaker rolling back, on their target groups', () => {
    for (const [name, tg] of [
      ['svg-ai-blue', 'BlueTargetGroup'],
      ['svg-ai-green', 'GreenTargetGroup'],
    ] as const) {
      synth.template(service()).hasResourceProperties('AWS::ECS::Service', {
        ServiceName: name,
        DesiredCount: 2,
        DeploymentConfiguration: Match.objectLike({
          DeploymentCircuitBreaker: { Enable: true, Rollback: true },
          MinimumHealthyPercent: 100,
        }),
        HealthCheckGracePeriodSeconds: 30,
        CapacityProviderStrategy: [
          { CapacityProvider: 'FARGATE', Base: 2, Weight: 1 },
          { CapacityProvider: 'FARGATE_SPOT', Weight: 1 },
        ],
        LoadBalancers: [{ ContainerName: 'svg-ai', ContainerPort: 8080, TargetGroupArn: { Ref: Match.stringLikeRegexp(`^${tg}`) } }],
        NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
      });
    }
  });

  test('auto scaling 2–10 per service on CPU, memory and requests per target', () => {
    const t = synth.template(service());
    t.resourcePropertiesCountIs(
      'AWS::ApplicationAutoScaling::ScalableTarget',
      { MinCapacity: 2, MaxCapacity: 10, ScalableDimension: 'ecs:service:DesiredCount' },
      2,
    );
    for (const [metric, value] of [
      ['ECSServiceAverageCPUUtilization', 60],
      ['ECSServiceAverageMemoryUtilization', 70],
      ['ALBRequestCountPerTarget', 100],
    ] as const) {
      t.resourcePropertiesCountIs(
        'AWS::ApplicationAutoScaling::ScalingPolicy',
        {
          PolicyType: 'TargetTrackingScaling',
          TargetTrackingScalingPolicyConfiguration: Match.objectLike({
            PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: metric }),
            TargetValue: value,
          }),
        },
        2,
      );
    }
  });

  test('the task role reads model objects under the prefix and writes uploads, nothing else', () => {
    synth.template(service()).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^TaskRole') }],
      PolicyDocument: {
        Statement: [
          {
            Sid: 'ReadModels',
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:GetObjectVersion'],
            Resource: 'arn:aws:s3:::svg-ai-models-123456789012-eu-west-1/models/*',
          },
          Match.objectLike({ Sid: 'ListModels', Action: 's3:ListBucket', Condition: { StringLike: { 's3:prefix': ['models/*'] } } }),
          {
            Sid: 'WriteUploads',
            Effect: 'Allow',
            Action: 's3:PutObject',
            Resource: 'arn:aws:s3:::svg-ai-uploads-123456789012-eu-west-1/*',
          },
        ],
      },
    });
  });
});

describe('registry and storage', () => {
  test('ECR: scan on push, immutable tags, keep the 10 newest images', () => {
    const t = synth.template(synth.built.storage);
    t.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'svg-ai',
      ImageScanningConfiguration: { ScanOnPush: true },
      ImageTagMutability: 'IMMUTABLE',
      LifecyclePolicy: {
        LifecyclePolicyText: Match.serializedJson(
          Match.objectLike({
            rules: [Match.objectLike({ selection: Match.objectLike({ countType: 'imageCountMoreThan', countNumber: 10 }) })],
          }),
        ),
      },
    });
  });

  const baseline = {
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
  };

  test('the models bucket: versioned, encrypted, private, replicated to the second region', () => {
    synth.template(synth.built.storage).hasResourceProperties('AWS::S3::Bucket', {
      ...baseline,
      BucketName: 'svg-ai-models-123456789012-eu-west-1',
      VersioningConfiguration: { Status: 'Enabled' },
      ReplicationConfiguration: {
        Role: Match.anyValue(),
        Rules: [Match.objectLike({ Status: 'Enabled', Priority: 1 })],
      },
    });
    const [, models] = resourcesOf(synth.json(synth.built.storage), 'AWS::S3::Bucket').find(([id]) => id.startsWith('ModelsBucket')) ?? [];
    expect(JSON.stringify(models?.Properties?.['ReplicationConfiguration'])).toContain(
      ':s3:::svg-ai-models-replica-123456789012-eu-central-1',
    );
    synth.template(synth.built.replica!).hasResourceProperties('AWS::S3::Bucket', {
      ...baseline,
      BucketName: 'svg-ai-models-replica-123456789012-eu-central-1',
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  test('every bucket refuses requests without TLS', () => {
    for (const stack of [synth.built.storage, synth.built.replica!, synth.built.edge!]) {
      const json = synth.json(stack);
      const buckets = resourcesOf(json, 'AWS::S3::Bucket').length;
      const tlsOnly = resourcesOf(json, 'AWS::S3::BucketPolicy').filter(([, policy]) =>
        JSON.stringify(policy.Properties?.['PolicyDocument']).includes('"aws:SecureTransport":"false"'),
      ).length;
      expect({ stack: stack.stackName, tlsOnly }).toEqual({ stack: stack.stackName, tlsOnly: buckets });
    }
  });

  test('the uploads bucket expires objects after 7 days; the logs bucket holds logs', () => {
    const t = synth.template(synth.built.storage);
    t.hasResourceProperties('AWS::S3::Bucket', {
      ...baseline,
      BucketName: 'svg-ai-uploads-123456789012-eu-west-1',
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 7, Status: 'Enabled' })]) },
    });
    t.hasResourceProperties('AWS::S3::Bucket', { ...baseline, BucketName: 'svg-ai-logs-123456789012-eu-west-1' });
  });
});

describe('edge', () => {
  test('CloudFront serves the upload page and sends /api/* to the ALB uncached, behind a CloudFront web ACL', () => {
    const t = synth.template(synth.built.edge!);
    t.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        WebACLId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebAcl'), 'Arn'] },
        Origins: [
          Match.objectLike({
            DomainName: 'svg-ai.example.com',
            CustomOriginConfig: Match.objectLike({ OriginProtocolPolicy: 'https-only' }),
          }),
        ],
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        CacheBehaviors: [
          Match.objectLike({
            PathPattern: '/api/*',
            AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
            CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
          }),
        ],
      }),
    });
    t.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT' });
    expect(synth.built.edge!.region).toBe('us-east-1');
  });

  test.each(['REGIONAL', 'CLOUDFRONT'])(
    'the %s web ACL: 1000 requests per 60 s per IP, then SQLi, XSS (common) and IP reputation',
    (scope) => {
      const stack = scope === 'REGIONAL' ? service() : synth.built.edge!;
      synth.template(stack).hasResourceProperties('AWS::WAFv2::WebACL', {
        Scope: scope,
        DefaultAction: { Allow: {} },
        Rules: Match.arrayWith([
          Match.objectLike({
            Action: { Block: {} },
            Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP', EvaluationWindowSec: 60 } },
          }),
          ...['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesSQLiRuleSet', 'AWSManagedRulesAmazonIpReputationList'].map((name) =>
            Match.objectLike({ Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: name } }, OverrideAction: { None: {} } }),
          ),
        ]),
      });
      const [, logging] = resourcesOf(synth.json(stack), 'AWS::WAFv2::LoggingConfiguration')[0] ?? [];
      expect(JSON.stringify(logging?.Properties?.['LogDestinationConfigs'])).toContain(
        `:log-group:aws-waf-logs-svg-ai-${scope.toLowerCase()}"`,
      );
    },
  );
});

describe('observability', () => {
  const alarmNames = [
    'svg-ai-5xx-rate',
    'svg-ai-p95-latency',
    ...['blue', 'green'].flatMap((c) => [
      `svg-ai-${c}-unhealthy-hosts`,
      `svg-ai-${c}-cpu`,
      `svg-ai-${c}-memory`,
      `svg-ai-${c}-running-tasks`,
    ]),
  ];

  test('alarms for 5xx rate, p95 latency, unhealthy hosts, running tasks, CPU and memory, all to the SNS topic', () => {
    const json = synth.json(synth.built.observability);
    const alarms = resourcesOf(json, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties ?? {});
    expect(alarms.map((alarm) => alarm['AlarmName']).sort()).toEqual([...alarmNames].sort());
    for (const alarm of alarms) expect(alarm['AlarmActions']).toEqual([{ Ref: expect.stringMatching(/^AlarmTopic/) }]);
    const t = synth.template(synth.built.observability);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'svg-ai-p95-latency',
      ExtendedStatistic: 'p95',
      MetricName: 'TargetResponseTime',
      Threshold: 2,
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'svg-ai-5xx-rate',
      Threshold: 1,
      Metrics: Match.arrayWith([Match.objectLike({ Expression: '100 * (target5xx + elb5xx) / MAX([requests, 1])' })]),
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'svg-ai-blue-running-tasks',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 2,
      TreatMissingData: 'breaching',
      Namespace: 'ECS/ContainerInsights',
    });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    t.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'svg-ai-alarms', KmsMasterKeyId: Match.anyValue() });
  });

  test("a dashboard of the ALB, ECS and the service's embedded-metric model figures", () => {
    const json = synth.json(synth.built.observability);
    const [, dashboard] = resourcesOf(json, 'AWS::CloudWatch::Dashboard')[0] ?? [];
    const body = JSON.stringify(dashboard?.Properties?.['DashboardBody']);
    for (const figure of [
      'RequestCount',
      'TargetResponseTime',
      'CPUUtilization',
      'MemoryUtilization',
      'HealthyHostCount',
      'InferenceTime',
      'ConversionSuccess',
    ]) {
      expect(body).toContain(figure);
    }
    expect(body).toContain('{SVGAI,ModelVersion,Converter}');
  });

  test('a monthly cost budget on the project tag, notifying the topic at 80% and 100%', () => {
    synth.template(synth.built.observability).hasResourceProperties('AWS::Budgets::Budget', {
      Budget: Match.objectLike({
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: 500, Unit: 'USD' },
        CostFilters: { TagKeyValue: ['user:Project$svg-ai'] },
      }),
      NotificationsWithSubscribers: [80, 100].map((threshold) =>
        Match.objectLike({
          Notification: Match.objectLike({ Threshold: threshold }),
          Subscribers: [{ SubscriptionType: 'SNS', Address: Match.anyValue() }],
        }),
      ),
    });
  });

  test('cost tags on every stack', () => {
    for (const stack of synth.built.stacks) {
      expect(stack.tags.tagValues()).toEqual({ Project: 'svg-ai', Environment: 'production', CostCenter: 'svg-ai', ManagedBy: 'cdk' });
    }
    synth.template(service()).hasResourceProperties('AWS::ECS::Cluster', { Tags: Match.arrayWith([{ Key: 'Project', Value: 'svg-ai' }]) });
  });
});

describe('outputs', () => {
  test('the values the deploy workflow reads from the GitHub environment variables', () => {
    const workflow = readFileSync(new URL('../../.github/workflows/deploy.yml', import.meta.url), 'utf8');
    // Per-environment analysis timing: optional tuning with the actions' defaults, not resources the stack makes.
    const tuning = new Set([
      'ANALYSIS_INTERVAL',
      'BAKE_TIME',
      'KEEP_OLD_FOR',
      'METRIC_DELAY',
      'METRIC_PERIOD',
      'MIN_REQUESTS',
      'WAIT_HEALTHY_TIMEOUT',
    ]);
    const read = [...new Set([...workflow.matchAll(/\bvars\.([A-Z_]+)/g)].map((match) => match[1]!))]
      .filter((name) => !tuning.has(name))
      .sort();
    const outputs = [service(), synth.built.ci].flatMap(
      (stack) => Object.values(synth.json(stack).Outputs ?? {}) as { Description?: string }[],
    );
    const given = outputs.flatMap((output) => /^GitHub variable ([A-Z_]+):/.exec(output.Description ?? '')?.[1] ?? []).sort();
    expect(read.length).toBeGreaterThan(5);
    expect(given).toEqual(read);
  });
});
