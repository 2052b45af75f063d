import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledge } from '../nag.js';
import { waiveCheckov } from '../scanners.js';
import type { Settings } from '../settings.js';
import { BUCKET_BASELINE } from './storage.js';
import { webAcl } from './waf.js';

/**
 * The upload page through CloudFront (us-east-1, where CloudFront's web ACLs live): the page is cached at
 * the edge, `/api/*` goes to the ALB uncached with the viewer's headers and body. The origin is the
 * service's domain over HTTPS, so the ALB's certificate matches and no cross-region reference is needed.
 */
export class EdgeStack extends Stack {
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, settings: Settings, props: StackProps) {
    super(scope, id, props);
    if (settings.domainName === undefined)
      throw new Error('the edge stack needs domainName: CloudFront reaches the ALB over HTTPS by that name');

    const acl = webAcl(this, 'WebAcl', settings, 'CLOUDFRONT');
    const logs = new s3.Bucket(this, 'EdgeLogsBucket', {
      ...BUCKET_BASELINE,
      bucketName: `${settings.name}-edge-logs-${settings.account}-${this.region}`,
      // CloudFront's standard logs are delivered with an ACL, so this bucket must accept them.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(Math.max(settings.logRetentionDays, 90)) }],
    });
    waiveCheckov(logs, [
      { id: 'CKV_AWS_18', comment: 'This is the access-log bucket itself; logging it into itself would loop.' },
      { id: 'CKV_AWS_21', comment: 'Logs are written once and expire; versions would only keep deleted logs longer.' },
    ]);
    acknowledge(logs, [{ id: 'AwsSolutions-S1', reason: 'This is the access-log bucket itself; logging it into itself would loop.' }]);

    const origin = new origins.HttpOrigin(settings.domainName, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      readTimeout: Duration.seconds(60),
    });
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `${settings.name} upload page and API`,
      webAclId: acl.attrArn,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      },
      additionalBehaviors: {
        '/api/*': {
          origin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        },
      },
    });
    waiveCheckov(this.distribution, [
      {
        id: 'CKV_AWS_174',
        comment:
          'The cloudfront.net default certificate cannot be given a TLS policy; an alias with its own us-east-1 certificate can, left to the deployer.',
      },
    ]);
    acknowledge(this.distribution, [
      { id: 'AwsSolutions-CFR1', reason: 'The service is offered worldwide; no country is to be refused.' },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The distribution answers on its cloudfront.net name, whose default certificate CloudFront fixes at TLSv1; a custom alias would need a us-east-1 certificate, left to the deployer.',
      },
    ]);
  }
}
