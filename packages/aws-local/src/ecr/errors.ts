/** ECR errors as the JSON protocol carries them: `{"__type": <name>, "message": …}`, HTTP 400. */
export class EcrError extends Error {
  override readonly name = 'EcrError';
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export function invalidParameter(message: string): EcrError {
  return new EcrError('InvalidParameterException', message);
}

export function repositoryNotFound(name: string, registryId: string): EcrError {
  return new EcrError(
    'RepositoryNotFoundException',
    `The repository with name '${name}' does not exist in the registry with id '${registryId}'`,
  );
}

export function imageNotFound(imageId: { imageDigest?: string; imageTag?: string }, repository: string, registryId: string): EcrError {
  return new EcrError(
    'ImageNotFoundException',
    `The image with imageId {imageDigest:'${imageId.imageDigest ?? 'null'}', imageTag:'${imageId.imageTag ?? 'null'}'} does not exist within the repository with name '${repository}' in the registry with id '${registryId}'`,
  );
}
