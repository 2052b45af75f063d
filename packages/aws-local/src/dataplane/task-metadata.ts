/**
 * The ECS task metadata endpoint (v4), as the stand-in serves it: ECS gives every container
 * `ECS_CONTAINER_METADATA_URI_V4`, and a service that wants to report which image it runs (for a
 * release's version check) reads `Image` and `ImageID` there. Same paths and field names as ECS:
 *   GET <base>          the container's metadata
 *   GET <base>/task     the task's metadata with all its containers
 */
import { createHash } from 'node:crypto';
import { withoutRegistry } from './images.js';

export const METADATA_PATH = '/_aws-local/v4/';

export interface MetadataSource {
  readonly taskArn: string;
  readonly clusterArn: string;
  readonly family: string;
  readonly revision: number;
  readonly desiredStatus: string;
  readonly knownStatus: string;
  readonly containers: readonly { readonly name: string; readonly image: string; readonly status: string }[];
  /** The image's digest when the stand-in's registry knows it. */
  readonly digestOf: (image: string) => string | undefined;
}

/** `ImageID` is the image's digest: from the reference itself, from the registry, or (for a local image) a stable hash of its name. */
export function imageId(image: string, digestOf: (image: string) => string | undefined): string {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1);
  return digestOf(image) ?? `sha256:${createHash('sha256').update(withoutRegistry(image)).digest('hex')}`;
}

export function containerMetadata(source: MetadataSource, container: MetadataSource['containers'][number]): Record<string, unknown> {
  return {
    DockerId: createHash('sha256').update(`${source.taskArn}/${container.name}`).digest('hex').slice(0, 64),
    Name: container.name,
    DockerName: `ecs-${source.family}-${source.revision}-${container.name}`,
    Image: container.image,
    ImageID: imageId(container.image, source.digestOf),
    Labels: {
      'com.amazonaws.ecs.cluster': source.clusterArn,
      'com.amazonaws.ecs.container-name': container.name,
      'com.amazonaws.ecs.task-arn': source.taskArn,
      'com.amazonaws.ecs.task-definition-family': source.family,
      'com.amazonaws.ecs.task-definition-version': String(source.revision),
    },
    DesiredStatus: source.desiredStatus,
    KnownStatus: container.status,
    Type: 'NORMAL',
  };
}

export function taskMetadata(source: MetadataSource): Record<string, unknown> {
  return {
    Cluster: source.clusterArn,
    TaskARN: source.taskArn,
    Family: source.family,
    Revision: String(source.revision),
    DesiredStatus: source.desiredStatus,
    KnownStatus: source.knownStatus,
    LaunchType: 'FARGATE',
    Containers: source.containers.map((container) => containerMetadata(source, container)),
  };
}
