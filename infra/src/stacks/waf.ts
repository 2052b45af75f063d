import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { LOG_GROUP_KMS, waiveCheckov } from '../scanners.js';
import type { Settings } from '../settings.js';

/** The AWS managed rule groups every web ACL here runs, in priority order after the rate limit. */
export const MANAGED_RULE_GROUPS = [
  // Cross-site scripting and the OWASP common set.
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesSQLiRuleSet',
  'AWSManagedRulesAmazonIpReputationList',
  // Log4Shell-style request payloads; cheap, and scanners flag a web ACL without it.
  'AWSManagedRulesKnownBadInputsRuleSet',
] as const;

/** A web ACL with the per-IP rate limit and the managed rule groups, its requests logged to CloudWatch Logs. */
export function webAcl(scope: Construct, id: string, settings: Settings, aclScope: 'REGIONAL' | 'CLOUDFRONT'): wafv2.CfnWebACL {
  const metric = (name: string) => ({
    cloudWatchMetricsEnabled: true,
    sampledRequestsEnabled: true,
    metricName: `${settings.name}-${name}`,
  });
  const acl = new wafv2.CfnWebACL(scope, id, {
    name: `${settings.name}-${aclScope.toLowerCase()}`,
    scope: aclScope,
    defaultAction: { allow: {} },
    visibilityConfig: metric(`${aclScope.toLowerCase()}-acl`),
    rules: [
      {
        name: 'rate-limit-per-ip',
        priority: 0,
        action: { block: {} },
        statement: {
          rateBasedStatement: {
            limit: settings.wafRateLimit,
            aggregateKeyType: 'IP',
            evaluationWindowSec: settings.wafEvaluationWindowSeconds,
          },
        },
        visibilityConfig: metric('rate-limit'),
      },
      ...MANAGED_RULE_GROUPS.map((group, index) => ({
        name: group,
        priority: index + 1,
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: group } },
        visibilityConfig: metric(group),
      })),
    ],
  });
  // WAF delivers to log groups whose names start with aws-waf-logs-.
  const logGroupName = `aws-waf-logs-${settings.name}-${aclScope.toLowerCase()}`;
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    logGroupName,
    retention: settings.logRetentionDays as logs.RetentionDays,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  waiveCheckov(logGroup, [LOG_GROUP_KMS]);
  new wafv2.CfnLoggingConfiguration(scope, `${id}Logging`, {
    resourceArn: acl.attrArn,
    // WAF wants the log group's ARN without the trailing ':*' that logGroupArn carries.
    logDestinationConfigs: [
      Stack.of(scope).formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: logGroupName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    ],
  }).node.addDependency(logGroup);
  return acl;
}
