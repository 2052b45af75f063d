import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { Names } from '../names.js';
import type { Settings } from '../settings.js';

export interface ObservabilityStackProps extends StackProps {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroups: Readonly<Record<'blue' | 'green', elbv2.ApplicationTargetGroup>>;
  readonly services: Readonly<Record<'blue' | 'green', ecs.FargateService>>;
  readonly cluster: ecs.Cluster;
}

/** The service's namespace for the model figures it logs in CloudWatch embedded metric format. */
export const SERVICE_METRIC_NAMESPACE = 'SVGAI';

/**
 * Alarms to an SNS topic (the same alarms the releases name in `alarms:` to judge a step), a dashboard of
 * the ALB, ECS and the service's own figures, and a monthly budget.
 */
export class ObservabilityStack extends Stack {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, settings: Settings, names: Names, props: ObservabilityStackProps) {
    super(scope, id, props);
    const period = Duration.minutes(1);

    const key = new kms.Key(this, 'TopicKey', { enableKeyRotation: true, description: `${settings.name} alarm topic` });
    // CloudWatch and Budgets publish to the encrypted topic, so they may use its key.
    key.grantEncryptDecrypt(new iam.ServicePrincipal('cloudwatch.amazonaws.com'));
    key.grantEncryptDecrypt(new iam.ServicePrincipal('budgets.amazonaws.com'));
    this.topic = new sns.Topic(this, 'AlarmTopic', { topicName: names.topic, masterKey: key, enforceSSL: true });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'BudgetsPublish',
        principals: [new iam.ServicePrincipal('budgets.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    if (settings.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(settings.alarmEmail));

    const alb = props.loadBalancer.metrics;
    const alarm = (
      alarmId: string,
      name: string,
      metric: cloudwatch.IMetric,
      threshold: number,
      description: string,
      options: Partial<cloudwatch.CreateAlarmOptions> = {},
    ) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        metric,
        alarmName: `${names.alarmPrefix}${name}`,
        alarmDescription: description,
        threshold,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...options,
      });
      created.addAlarmAction(new actions.SnsAction(this.topic));
      created.addOkAction(new actions.SnsAction(this.topic));
      this.alarms.push(created);
      return created;
    };

    const errorRate = new cloudwatch.MathExpression({
      label: '5xx rate (%)',
      expression: '100 * (target5xx + elb5xx) / MAX([requests, 1])',
      usingMetrics: {
        target5xx: alb.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period, statistic: 'Sum' }),
        elb5xx: alb.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period, statistic: 'Sum' }),
        requests: alb.requestCount({ period, statistic: 'Sum' }),
      },
      period,
    });
    alarm(
      'ErrorRateAlarm',
      '5xx-rate',
      errorRate,
      settings.errorRatePercent,
      `More than ${settings.errorRatePercent}% of requests answered 5xx`,
    );
    const latency = alb.targetResponseTime({ period, statistic: 'p95' });
    alarm(
      'LatencyAlarm',
      'p95-latency',
      latency,
      settings.p95LatencySeconds,
      `p95 target response time above ${settings.p95LatencySeconds} s`,
    );

    for (const colour of ['blue', 'green'] as const) {
      const tg = props.targetGroups[colour];
      const service = props.services[colour];
      alarm(
        `${colour}UnhealthyHostsAlarm`,
        `${colour}-unhealthy-hosts`,
        tg.metrics.unhealthyHostCount({ period, statistic: 'Maximum' }),
        0,
        `A ${colour} target fails its /ready health check`,
      );
      alarm(`${colour}CpuAlarm`, `${colour}-cpu`, service.metricCpuUtilization({ period }), 85, `${colour} tasks above 85% CPU`);
      alarm(
        `${colour}MemoryAlarm`,
        `${colour}-memory`,
        service.metricMemoryUtilization({ period }),
        85,
        `${colour} tasks above 85% memory`,
      );
      const running = new cloudwatch.Metric({
        namespace: 'ECS/ContainerInsights',
        metricName: 'RunningTaskCount',
        dimensionsMap: { ClusterName: props.cluster.clusterName, ServiceName: service.serviceName },
        period,
        statistic: 'Minimum',
      });
      alarm(
        `${colour}RunningTasksAlarm`,
        `${colour}-running-tasks`,
        running,
        settings.minTasks,
        `Fewer than ${settings.minTasks} ${colour} tasks running`,
        {
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          // No data means no tasks reporting at all: that is the worst case, not a quiet one.
          treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        },
      );
    }

    // The service tags its figures by model version and converter: one line per version shows a canary's effect.
    const model = (metricName: string, statistic: string, label: string) =>
      new cloudwatch.MathExpression({
        expression: `SEARCH('{${SERVICE_METRIC_NAMESPACE},ModelVersion,Converter} MetricName="${metricName}"', '${statistic}', 60)`,
        label,
        period,
      });
    new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: names.dashboard,
      widgets: [
        [
          new cloudwatch.GraphWidget({ title: 'Requests', left: [alb.requestCount({ period, statistic: 'Sum' })], width: 8 }),
          new cloudwatch.GraphWidget({ title: '5xx rate (%)', left: [errorRate], width: 8 }),
          new cloudwatch.GraphWidget({ title: 'p95 latency (s)', left: [latency], width: 8 }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Healthy targets',
            left: (['blue', 'green'] as const).map((c) => props.targetGroups[c].metrics.healthyHostCount({ period, label: c })),
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'CPU (%)',
            left: (['blue', 'green'] as const).map((c) => props.services[c].metricCpuUtilization({ period, label: c })),
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Memory (%)',
            left: (['blue', 'green'] as const).map((c) => props.services[c].metricMemoryUtilization({ period, label: c })),
            width: 8,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Inference time p95 (ms), by model version',
            left: [model('InferenceTime', 'p95', 'inference')],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Conversion success, by model version',
            left: [model('ConversionSuccess', 'Average', 'success')],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Predicted quality, by model version',
            left: [model('PredictedQuality', 'Average', 'quality')],
            width: 8,
          }),
        ],
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 })],
      ],
    });

    new budgets.CfnBudget(this, 'Budget', {
      budget: {
        budgetName: `${settings.name}-monthly`,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: settings.monthlyBudgetUsd, unit: 'USD' },
        costFilters: { TagKeyValue: [`user:Project$${settings.name}`] },
      },
      notificationsWithSubscribers: [80, 100].map((threshold) => ({
        notification: { notificationType: 'ACTUAL', comparisonOperator: 'GREATER_THAN', threshold, thresholdType: 'PERCENTAGE' },
        subscribers: [{ subscriptionType: 'SNS', address: this.topic.topicArn }],
      })),
    });
  }
}
