import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { acknowledge } from '../nag.js';
import { LOG_GROUP_KMS, waiveCheckov } from '../scanners.js';
import type { Settings } from '../settings.js';

/** The VPC over two availability zones: public subnets for the ALB and NAT, private ones for the tasks. */
export class NetworkStack extends Stack {
  readonly vpc: ec2.Vpc;
  private readonly zones: readonly string[];

  constructor(scope: Construct, id: string, settings: Settings, props: StackProps) {
    super(scope, id, props);
    this.zones = settings.availabilityZones;

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(settings.vpcCidr),
      // Named, not looked up: synthesis stays offline and the template does not depend on who runs it.
      availabilityZones: settings.availabilityZones.slice(),
      natGateways: settings.natGateways === 'per-az' ? 2 : 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      ],
      // Nothing in the VPC rides the default security group; it keeps no rules at all.
      restrictDefaultSecurityGroup: true,
    });

    acknowledge(this.vpc, [
      {
        id: 'CloudFormation-Validate::W3010',
        reason: 'The zones are named in the settings so that synthesis needs no AWS lookup; they are a setting, not hard-coded.',
      },
    ]);

    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      retention: settings.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    waiveCheckov(flowLogGroup, [LOG_GROUP_KMS]);
    const flowLogRole = new iam.Role(this, 'FlowLogRole', { assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com') });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup, flowLogRole),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });

    // Image pulls, model downloads and logs stay on the AWS network instead of crossing the NAT.
    this.vpc.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const endpoints = {
      EcrApiEndpoint: ec2.InterfaceVpcEndpointAwsService.ECR,
      EcrDockerEndpoint: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
      LogsEndpoint: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
      SecretsManagerEndpoint: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
    };
    // CDK's provider that empties the default security group: a Lambda function run once per deployment.
    const provider = this.node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider')?.node.tryFindChild('Handler');
    if (provider) {
      waiveCheckov(provider, [
        {
          id: 'CKV_AWS_115',
          comment: "CDK's one-shot provider for restrictDefaultSecurityGroup: runs once per deployment, no concurrency to limit.",
        },
        {
          id: 'CKV_AWS_116',
          comment: "CDK's one-shot provider: CloudFormation retries and reports its failures; a dead-letter queue would hold nothing.",
        },
        { id: 'CKV_AWS_117', comment: "CDK's one-shot provider calls only the EC2 API; it needs no VPC placement." },
      ]);
    }
    const endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'Interface endpoints: HTTPS from inside the VPC',
      allowAllOutbound: false,
    });
    endpointSecurityGroup.addIngressRule(ec2.Peer.ipv4(settings.vpcCidr), ec2.Port.tcp(443), 'HTTPS from the VPC');
    for (const [endpointId, service] of Object.entries(endpoints)) {
      this.vpc.addInterfaceEndpoint(endpointId, {
        service,
        privateDnsEnabled: true,
        open: false,
        securityGroups: [endpointSecurityGroup],
        subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      });
    }
  }

  /** The settings' zones: the endpoints ask the stack for its zones, which would otherwise be an AWS lookup. */
  override get availabilityZones(): string[] {
    return [...(this.zones ?? [])];
  }
}
