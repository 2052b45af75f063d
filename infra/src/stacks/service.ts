import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { acknowledge } from '../nag.js';
import type { Names } from '../names.js';
import type { Settings } from '../settings.js';
import { LOG_GROUP_KMS, waiveCheckov } from '../scanners.js';
import { partitionOf } from './ci-access.js';
import { webAcl } from './waf.js';

export interface ServiceStackProps extends StackProps {
  readonly vpc: ec2.IVpc;
  readonly repository: ecr.IRepository;
  readonly modelsBucket: s3.IBucket;
  readonly uploadsBucket: s3.IBucket;
  readonly logsBucket: s3.IBucket;
}

/**
 * The load balancer, the cluster and the two services the releases move traffic between: the production
 * listener forwards by weight to the blue and green target groups (all on blue to begin with), and the test
 * listener reaches the idle side so synthetic probes can judge it before any user does.
 */
export class ServiceStack extends Stack {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly productionListener: elbv2.ApplicationListener;
  readonly testListener: elbv2.ApplicationListener;
  readonly blueTargetGroup: elbv2.ApplicationTargetGroup;
  readonly greenTargetGroup: elbv2.ApplicationTargetGroup;
  readonly cluster: ecs.Cluster;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly blueService: ecs.FargateService;
  readonly greenService: ecs.FargateService;
  readonly albSecurityGroup: ec2.SecurityGroup;
  readonly taskSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, settings: Settings, names: Names, props: ServiceStackProps) {
    super(scope, id, props);
    const { vpc } = props;
    const https = settings.domainName !== undefined;

    // Security groups: the ALB takes 80/443 from anywhere and the test port from the given CIDRs only;
    // tasks take the service port from the ALB only.
    this.albSecurityGroup = new ec2.SecurityGroup(this, 'AlbSecurityGroup', {
      vpc,
      description: `${settings.name} load balancer: 80/443 from anywhere, the test listener from the given CIDRs`,
      allowAllOutbound: false,
    });
    acknowledge(this.albSecurityGroup, [
      { id: 'AwsSolutions-EC23', reason: 'The public entry of the service: 80 (redirect) and 443 from anywhere, nothing else.' },
    ]);
    waiveCheckov(this.albSecurityGroup, [
      {
        id: 'CKV_AWS_260',
        comment: 'Port 80 only answers with a redirect to HTTPS (or serves HTTP when no domain is set, for a first trial).',
      },
    ]);
    this.albSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP (redirected to HTTPS when a domain is set)');
    this.albSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS');
    for (const cidr of settings.testListenerCidrs) {
      this.albSecurityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(settings.testListenerPort), 'test listener: release probes');
    }
    this.taskSecurityGroup = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc,
      description: `${settings.name} tasks: the service port from the load balancer only`,
      allowAllOutbound: false,
    });
    // Tasks reach AWS APIs (ECR, S3, Logs, Secrets Manager) over HTTPS, through the endpoints or the NAT.
    this.taskSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs');
    this.taskSecurityGroup.addIngressRule(this.albSecurityGroup, ec2.Port.tcp(settings.servicePort), 'service port from the load balancer');
    this.albSecurityGroup.addEgressRule(this.taskSecurityGroup, ec2.Port.tcp(settings.servicePort), 'to the tasks');

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc,
      loadBalancerName: names.loadBalancer,
      internetFacing: true,
      securityGroup: this.albSecurityGroup,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      dropInvalidHeaderFields: true,
      deletionProtection: true,
      // Longer than the service's REQUEST_TIMEOUT_S (30 s), so the service times out first and says why.
      idleTimeout: Duration.seconds(60),
    });
    this.loadBalancer.logAccessLogs(props.logsBucket, 'alb');

    const targetGroup = (tgId: string, name: string) =>
      new elbv2.ApplicationTargetGroup(this, tgId, {
        vpc,
        targetGroupName: name,
        targetType: elbv2.TargetType.IP,
        protocol: elbv2.ApplicationProtocol.HTTP,
        port: settings.servicePort,
        // Shorter than the default 300 s: the service drains its in-flight work within DRAIN_TIMEOUT_S (25 s).
        deregistrationDelay: Duration.seconds(settings.deregistrationDelaySeconds),
        healthCheck: {
          path: settings.healthCheck.path,
          interval: Duration.seconds(settings.healthCheck.intervalSeconds),
          timeout: Duration.seconds(settings.healthCheck.timeoutSeconds),
          healthyThresholdCount: settings.healthCheck.healthyThreshold,
          unhealthyThresholdCount: settings.healthCheck.unhealthyThreshold,
          healthyHttpCodes: settings.healthCheck.matcher,
        },
      });
    this.blueTargetGroup = targetGroup('BlueTargetGroup', names.blueTargetGroup);
    this.greenTargetGroup = targetGroup('GreenTargetGroup', names.greenTargetGroup);

    let certificate: acm.ICertificate | undefined;
    if (https) {
      const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
        hostedZoneId: settings.hostedZoneId ?? '',
        zoneName: settings.hostedZoneName ?? '',
      });
      certificate = new acm.Certificate(this, 'Certificate', {
        domainName: settings.domainName ?? '',
        validation: acm.CertificateValidation.fromDns(zone),
      });
      new route53.ARecord(this, 'AliasRecord', {
        zone,
        recordName: settings.domainName,
        target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(this.loadBalancer)),
      });
      this.loadBalancer.addListener('HttpRedirect', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        open: false,
        defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
      });
    }
    const tls = https ? { certificates: [certificate as acm.ICertificate], sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS } : {};

    // Every release starts from all traffic on blue; the canary and blue-green actions move the weights.
    this.productionListener = this.loadBalancer.addListener('ProductionListener', {
      port: https ? 443 : 80,
      protocol: https ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP,
      open: false,
      ...tls,
      defaultAction: elbv2.ListenerAction.weightedForward([
        { targetGroup: this.blueTargetGroup, weight: 100 },
        { targetGroup: this.greenTargetGroup, weight: 0 },
      ]),
    });
    // The test listener points at the idle side (green at first); releases repoint it.
    this.testListener = this.loadBalancer.addListener('TestListener', {
      port: settings.testListenerPort,
      protocol: https ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP,
      open: false,
      ...tls,
      defaultAction: elbv2.ListenerAction.weightedForward([{ targetGroup: this.greenTargetGroup, weight: 1 }]),
    });

    if (!https) {
      const plainHttp = [
        { id: 'CKV_AWS_2', comment: 'No domainName is set, so there is no certificate: HTTP only until one is (see infra/README.md).' },
        { id: 'CKV_AWS_103', comment: 'No domainName is set, so there is no certificate and no TLS policy to set.' },
      ];
      waiveCheckov(this.productionListener, plainHttp);
      waiveCheckov(this.testListener, plainHttp);
    }

    if (settings.waf) {
      const acl = webAcl(this, 'WebAcl', settings, 'REGIONAL');
      new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', { resourceArn: this.loadBalancer.loadBalancerArn, webAclArn: acl.attrArn });
    }

    // Compute: the cluster with both Fargate capacity providers and Container Insights for the task figures.
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc,
      clusterName: names.cluster,
      enableFargateCapacityProviders: true,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    const logGroup = new logs.LogGroup(this, 'ServiceLogs', {
      logGroupName: `/ecs/${names.taskFamily}`,
      retention: settings.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    waiveCheckov(logGroup, [LOG_GROUP_KMS]);
    const taskRole = new iam.Role(this, 'TaskRole', {
      roleName: names.taskRole,
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'The SVG-AI service: reads models, writes uploads',
    });
    const executionRole = new iam.Role(this, 'ExecutionRole', {
      roleName: names.executionRole,
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'ECS on behalf of the SVG-AI tasks: pulls the image, writes logs, reads the secrets',
    });
    // Exactly what the service calls: model objects (by version id) under the prefix, and upload writes.
    const modelsArn = `arn:${partitionOf(settings.region)}:s3:::${names.modelsBucket}`;
    const uploadsArn = `arn:${partitionOf(settings.region)}:s3:::${names.uploadsBucket}`;
    taskRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadModels',
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [`${modelsArn}/${settings.modelPrefix}*`],
      }),
    );
    taskRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ListModels',
        actions: ['s3:ListBucket'],
        resources: [modelsArn],
        conditions: { StringLike: { 's3:prefix': [`${settings.modelPrefix}*`] } },
      }),
    );
    taskRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'WriteUploads', actions: ['s3:PutObject'], resources: [`${uploadsArn}/*`] }),
    );
    acknowledge(taskRole, [
      {
        id: `AwsSolutions-IAM5[Resource::${modelsArn}/${settings.modelPrefix}*]`,
        reason: 'Model files are read by key under the models prefix; the keys are not known when the stack is.',
      },
      { id: `AwsSolutions-IAM5[Resource::${uploadsArn}/*]`, reason: 'Each upload is written under a fresh key.' },
    ]);
    acknowledge(executionRole, [
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'ecr:GetAuthorizationToken, which the image pull needs, supports no resource-level permissions.',
      },
    ]);

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      family: names.taskFamily,
      cpu: settings.cpu,
      memoryLimitMiB: settings.memoryMiB,
      taskRole,
      executionRole,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
      // The root filesystem is read-only; the service writes its model cache and uploads under /tmp only.
      volumes: [{ name: 'tmp' }],
    });
    const secrets = Object.fromEntries(
      Object.entries(settings.serviceSecrets).map(([variable, reference]) => {
        const [secretName = reference, jsonKey] = reference.split(':');
        const secret = secretsmanager.Secret.fromSecretNameV2(this, `Secret${variable}`, secretName);
        return [variable, ecs.Secret.fromSecretsManager(secret, jsonKey)];
      }),
    );
    const container = this.taskDefinition.addContainer('Service', {
      containerName: names.container,
      image: ecs.ContainerImage.fromEcrRepository(props.repository, settings.imageTag),
      // The image's own USER; stated here too so that no revision can run as root.
      user: '10001:10001',
      readonlyRootFilesystem: true,
      essential: true,
      portMappings: [{ containerPort: settings.servicePort, protocol: ecs.Protocol.TCP }],
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: names.container, mode: ecs.AwsLogDriverMode.NON_BLOCKING }),
      environment: {
        LOG_FORMAT: 'json',
        PORT: String(settings.servicePort),
        MODEL_S3_BUCKET: props.modelsBucket.bucketName,
        MODEL_S3_PREFIX: settings.modelPrefix,
        MODEL_VERSION: settings.modelVersion,
        UPLOAD_BUCKET: props.uploadsBucket.bucketName,
        MODEL_CACHE_DIR: '/tmp/svgai-models',
        UPLOAD_DIR: '/tmp/svgai-uploads',
      },
      secrets,
      stopTimeout: Duration.seconds(30),
    });
    container.addMountPoints({ containerPath: '/tmp', sourceVolume: 'tmp', readOnly: false });

    const service = (serviceId: string, name: string, tg: elbv2.ApplicationTargetGroup) => {
      const fargate = new ecs.FargateService(this, serviceId, {
        cluster: this.cluster,
        serviceName: name,
        taskDefinition: this.taskDefinition,
        desiredCount: settings.minTasks,
        securityGroups: [this.taskSecurityGroup],
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        assignPublicIp: false,
        healthCheckGracePeriod: Duration.seconds(settings.healthCheckGracePeriodSeconds),
        circuitBreaker: { enable: true, rollback: true },
        minHealthyPercent: 100,
        maxHealthyPercent: 200,
        // The on-demand base carries the minimum; tasks beyond it may run on Spot.
        capacityProviderStrategies: [
          { capacityProvider: 'FARGATE', base: settings.minTasks, weight: 1 },
          { capacityProvider: 'FARGATE_SPOT', weight: settings.spotWeight },
        ],
        propagateTags: ecs.PropagatedTagSource.SERVICE,
      });
      tg.addTarget(fargate.loadBalancerTarget({ containerName: names.container, containerPort: settings.servicePort }));
      const scaling = fargate.autoScaleTaskCount({ minCapacity: settings.minTasks, maxCapacity: settings.maxTasks });
      scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: settings.scaleOnCpuPercent });
      scaling.scaleOnMemoryUtilization('Memory', { targetUtilizationPercent: settings.scaleOnMemoryPercent });
      scaling.scaleOnRequestCount('Requests', { requestsPerTarget: settings.scaleOnRequestsPerTarget, targetGroup: tg });
      return fargate;
    };
    this.blueService = service('BlueService', names.blueService, this.blueTargetGroup);
    this.greenService = service('GreenService', names.greenService, this.greenTargetGroup);

    acknowledge(this.taskDefinition, [
      {
        id: 'AwsSolutions-ECS2',
        reason: 'The environment holds names (bucket, prefix, version), never secrets; secrets come from Secrets Manager.',
      },
    ]);
    // The values the deploy workflow reads from the GitHub environment's variables (see infra/README.md).
    const output = (variable: string, value: string, description: string) =>
      new CfnOutput(this, variable.replace(/_/g, ''), {
        key: variable.replace(/_/g, ''),
        value,
        description: `GitHub variable ${variable}: ${description}`,
      });
    output('LISTENER_ARN', this.productionListener.listenerArn, 'the production listener');
    output('TEST_LISTENER_ARN', this.testListener.listenerArn, 'the test listener');
    output('CLUSTER', this.cluster.clusterName, 'the ECS cluster');
    output('BLUE_SERVICE', this.blueService.serviceName, 'the blue service');
    output('GREEN_SERVICE', this.greenService.serviceName, 'the green service');
    output('AWS_REGION', this.region, 'the region of the stack');
    new CfnOutput(this, 'ServiceUrl', {
      value: `${https ? 'https' : 'http'}://${settings.domainName ?? this.loadBalancer.loadBalancerDnsName}`,
      description: 'Where the service answers',
    });
  }
}
