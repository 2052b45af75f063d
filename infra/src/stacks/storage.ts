import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledge } from '../nag.js';
import type { Names } from '../names.js';
import { waiveCheckov } from '../scanners.js';
import type { Settings } from '../settings.js';

/** What every bucket here has: no public access, TLS only, encryption at rest, retained on delete. */
export const BUCKET_BASELINE = {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  encryption: s3.BucketEncryption.S3_MANAGED,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  removalPolicy: RemovalPolicy.RETAIN,
} as const;

/** The image registry and the buckets: models (versioned, optionally replicated), uploads, logs. */
export class StorageStack extends Stack {
  readonly repository: ecr.Repository;
  readonly modelsBucket: s3.Bucket;
  readonly uploadsBucket: s3.Bucket;
  readonly logsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, settings: Settings, names: Names, props: StackProps) {
    super(scope, id, props);

    this.repository = new ecr.Repository(this, 'Repository', {
      repositoryName: names.repository,
      imageScanOnPush: true,
      // Releases pin images by digest and tags never move, so a tag always names what it named at build time.
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      encryption: ecr.RepositoryEncryption.AES_256,
      lifecycleRules: [{ description: 'Keep the 10 newest images: enough to roll back through several releases', maxImageCount: 10 }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    waiveCheckov(this.repository, [
      {
        id: 'CKV_AWS_136',
        comment: 'Images are encrypted at rest with AES-256; a KMS key would add cost and key policy for no reader we need to exclude.',
      },
    ]);

    this.logsBucket = new s3.Bucket(this, 'LogsBucket', {
      ...BUCKET_BASELINE,
      bucketName: names.logsBucket,
      // ALB access logs need the ACL-free, SSE-S3 bucket the baseline gives, and the ELB log-delivery policy CDK adds.
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(Math.max(settings.logRetentionDays, 90)) }],
    });
    waiveCheckov(this.logsBucket, [
      { id: 'CKV_AWS_18', comment: 'This is the access-log bucket itself; logging it into itself would loop.' },
      { id: 'CKV_AWS_21', comment: 'Logs are written once and expire; versions would only keep deleted logs longer.' },
    ]);
    acknowledge(this.logsBucket, [
      { id: 'AwsSolutions-S1', reason: 'This is the access-log bucket itself; logging it into itself would loop.' },
    ]);

    this.modelsBucket = new s3.Bucket(this, 'ModelsBucket', {
      ...BUCKET_BASELINE,
      bucketName: names.modelsBucket,
      // Every model object keeps its history: a release pins version ids, and a bad upload is undone by restoring one.
      versioned: true,
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: 's3/models/',
      lifecycleRules: [{ id: 'expire-old-versions', noncurrentVersionExpiration: Duration.days(365), noncurrentVersionsToRetain: 10 }],
      ...(names.modelsReplicaBucket === undefined
        ? {}
        : {
            replicationRules: [
              {
                destination: s3.Bucket.fromBucketAttributes(this, 'ModelsReplica', {
                  bucketName: names.modelsReplicaBucket,
                  region: settings.replicationRegion,
                }),
                priority: 1,
                deleteMarkerReplication: false,
              },
            ],
          }),
    });

    if (names.modelsReplicaBucket !== undefined) {
      acknowledge(this.modelsBucket, [
        {
          id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.modelsBucket.node.defaultChild as s3.CfnBucket)}.Arn>/*]`,
          reason: 'S3 replication reads every object version of the source bucket; CDK scopes its role to this bucket.',
        },
        {
          id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${names.modelsReplicaBucket}/*]`,
          reason: 'S3 replication writes every object version into the replica bucket; CDK scopes its role to that bucket.',
        },
      ]);
    }

    this.uploadsBucket = new s3.Bucket(this, 'UploadsBucket', {
      ...BUCKET_BASELINE,
      bucketName: names.uploadsBucket,
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: 's3/uploads/',
      // Uploads are inputs of one conversion: nobody needs them after a week.
      lifecycleRules: [
        { id: 'expire-uploads', expiration: Duration.days(7) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
    waiveCheckov(this.uploadsBucket, [
      {
        id: 'CKV_AWS_21',
        comment: 'Uploads are transient inputs that expire after 7 days; versions would keep them longer than intended.',
      },
    ]);
  }
}

/** The models bucket's replica in a second region (disaster recovery), deployed before the storage stack. */
export class ReplicaStack extends Stack {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, names: Names, props: StackProps) {
    super(scope, id, props);
    if (names.modelsReplicaBucket === undefined) throw new Error('ReplicaStack needs the replicationRegion setting');
    this.bucket = new s3.Bucket(this, 'ModelsReplicaBucket', {
      ...BUCKET_BASELINE,
      bucketName: names.modelsReplicaBucket,
      versioned: true,
      lifecycleRules: [{ id: 'expire-old-versions', noncurrentVersionExpiration: Duration.days(365), noncurrentVersionsToRetain: 10 }],
    });
    waiveCheckov(this.bucket, [
      {
        id: 'CKV_AWS_18',
        comment: 'A replica written only by S3 replication; access is logged on the source bucket in the primary region.',
      },
    ]);
    acknowledge(this.bucket, [
      {
        id: 'AwsSolutions-S1',
        reason: 'A replica written only by S3 replication; reads and writes are logged on the source bucket in the primary region.',
      },
    ]);
  }
}
