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

/**
 * The API actions the build-push action calls (through `registry.ts`), as IAM action names, for the build
 * role's policy. `ecr:GetAuthorizationToken` is account-wide (resource `*`); the rest can be scoped to the
 * repository. Pushing with docker or buildah also needs the registry-side actions below.
 */
export const BUILD_PUSH_API_ACTIONS = [
  'ecr:BatchGetImage',
  'ecr:CreateRepository',
  'ecr:DescribeImageScanFindings',
  'ecr:DescribeImages',
  'ecr:DescribeRepositories',
  'ecr:GetAuthorizationToken',
  'ecr:GetLifecyclePolicy',
  'ecr:PutLifecyclePolicy',
  'sts:GetCallerIdentity',
] as const;

/** What the engines themselves do on the registry (`docker push`/`buildah push`, cache reads), per ECR's docs. */
export const BUILD_PUSH_REGISTRY_PERMISSIONS = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:CompleteLayerUpload',
  'ecr:GetDownloadUrlForLayer',
  'ecr:InitiateLayerUpload',
  'ecr:PutImage',
  'ecr:UploadLayerPart',
] as const;

/**
 * Every AWS API action the model registry (model-registry.ts) calls, as IAM action names: the model-release
 * role's policy. Reads by VersionId need the `*Version*` actions besides the plain ones; a PutObject that
 * tags needs s3:PutObjectTagging; ListObjectsV2 is s3:ListBucket. A test derives this list from the SDK
 * commands the registry imports and fails when the two disagree.
 */
export const MODEL_REGISTRY_API_ACTIONS = [
  's3:GetBucketVersioning',
  's3:GetObject',
  's3:GetObjectTagging',
  's3:GetObjectVersion',
  's3:GetObjectVersionTagging',
  's3:ListBucket',
  's3:PutObject',
  's3:PutObjectTagging',
] as const;
