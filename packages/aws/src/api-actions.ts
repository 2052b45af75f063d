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

/** Every AWS API action the build-push action calls (pushing an image to ECR), as IAM action names. */
export const BUILD_PUSH_API_ACTIONS = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchGetImage',
  'ecr:CompleteLayerUpload',
  'ecr:CreateRepository',
  'ecr:DescribeImageScanFindings',
  'ecr:DescribeImages',
  'ecr:DescribeRepositories',
  'ecr:GetAuthorizationToken',
  'ecr:GetLifecyclePolicy',
  'ecr:InitiateLayerUpload',
  'ecr:PutImage',
  'ecr:PutLifecyclePolicy',
  'ecr:UploadLayerPart',
  'sts:GetCallerIdentity',
] as const;

/** Every AWS API action the model registry calls (publishing and validating models in S3), as IAM action names. */
export const MODEL_REGISTRY_API_ACTIONS = [
  's3:GetBucketVersioning',
  's3:GetObject',
  's3:GetObjectTagging',
  's3:GetObjectVersion',
  's3:GetObjectVersionTagging',
  's3:ListBucket',
  's3:ListBucketVersions',
  's3:PutObject',
  's3:PutObjectTagging',
] as const;
