/**
 * Every AWS API action the adapters call, as IAM action names. This list feeds the deploy role's
 * policy (infrastructure code and docs read it); a test scans the sources for SDK commands and
 * fails when the two disagree, so the policy cannot silently fall behind the code.
 */
export const AWS_API_ACTIONS = [
  'cloudwatch:DescribeAlarms',
  'cloudwatch:GetMetricData',
  'ecs:DescribeServices',
  'ecs:DescribeTaskDefinition',
  'ecs:DescribeTasks',
  'ecs:ListTaskDefinitions',
  'ecs:ListTasks',
  'ecs:RegisterTaskDefinition',
  'ecs:UpdateService',
  'elasticloadbalancing:AddTags',
  'elasticloadbalancing:DescribeListeners',
  'elasticloadbalancing:DescribeLoadBalancers',
  'elasticloadbalancing:DescribeRules',
  'elasticloadbalancing:DescribeTags',
  'elasticloadbalancing:DescribeTargetHealth',
  'elasticloadbalancing:ModifyListener',
  'elasticloadbalancing:ModifyRule',
  'elasticloadbalancing:RemoveTags',
] as const;

/** Registering a task definition that names roles requires passing them to ECS. */
export const AWS_EXTRA_PERMISSIONS = ['iam:PassRole'] as const;
