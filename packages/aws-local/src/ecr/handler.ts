/**
 * The ECR endpoint in the JSON 1.1 protocol: the operation comes from `X-Amz-Target`, input and output are
 * JSON, and every failure (unknown target, bad JSON, invalid parameters) is an `{"__type", "message"}` error.
 */
import { randomUUID } from 'node:crypto';
import type { AwsHandler, AwsResponse } from '../http-types.js';
import { getAuthorizationToken } from './auth.js';
import { EcrError } from './errors.js';
import { batchDeleteImage, batchGetImage, describeImages, listImages, putImage } from './images.js';
import type { Input } from './input.js';
import { deleteLifecyclePolicy, getLifecyclePolicy, putLifecyclePolicy } from './lifecycle.js';
import {
  createRepository,
  deleteRepository,
  describeRepositories,
  putImageScanningConfiguration,
  putImageTagMutability,
} from './repositories.js';
import { describeImageScanFindings, startImageScan } from './scanning.js';
import type { EcrStore } from './store.js';

export const TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

type Operation = (store: EcrStore, input: Input) => Record<string, unknown>;

const OPERATIONS: Readonly<Record<string, Operation>> = {
  CreateRepository: createRepository,
  DescribeRepositories: describeRepositories,
  DeleteRepository: deleteRepository,
  PutImageTagMutability: putImageTagMutability,
  PutImageScanningConfiguration: putImageScanningConfiguration,
  GetAuthorizationToken: getAuthorizationToken,
  PutImage: putImage,
  BatchGetImage: batchGetImage,
  DescribeImages: describeImages,
  ListImages: listImages,
  BatchDeleteImage: batchDeleteImage,
  StartImageScan: startImageScan,
  DescribeImageScanFindings: describeImageScanFindings,
  PutLifecyclePolicy: putLifecyclePolicy,
  GetLifecyclePolicy: getLifecyclePolicy,
  DeleteLifecyclePolicy: deleteLifecyclePolicy,
};

export function createEcrRouter(store: EcrStore): AwsHandler {
  return async (request) => {
    const requestId = randomUUID();
    try {
      const target = request.headers['x-amz-target'];
      const name = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
      const operation = Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined;
      if (request.method.toUpperCase() !== 'POST' || !operation) {
        throw new EcrError(
          'UnknownOperationException',
          `The operation ${JSON.stringify(String(target ?? ''))} is not an ECR operation this stand-in supports (POST with X-Amz-Target ${TARGET_PREFIX}<Operation>).`,
        );
      }
      return json(200, operation(store, parseInput(request.body)), requestId);
    } catch (error) {
      const ecrError =
        error instanceof EcrError
          ? error
          : new EcrError('ServerException', `Internal error: ${error instanceof Error ? error.message : String(error)}`, 500);
      return json(ecrError.status, { __type: ecrError.type, message: ecrError.message }, requestId);
    }
  };
}

function parseInput(body: Buffer): Input {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new EcrError('SerializationException', 'The request body is not valid JSON.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new EcrError('SerializationException', 'The request body must be a JSON object.');
  }
  return parsed as Input;
}

function json(status: number, payload: unknown, requestId: string): AwsResponse {
  return {
    status,
    headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId },
    body: JSON.stringify(payload),
  };
}
