import type { RevisionSpec } from '@svg-ai-release/rollout';

/**
 * What the new colour runs: the image by digest and the environment, with `MODEL_VERSION` set from
 * the model version unless the user set it explicitly (the service reports it on /version, which the
 * smoke check compares).
 */
export function revisionSpec(image: string, environment: ReadonlyMap<string, string>, modelVersion: string | undefined): RevisionSpec {
  const env = Object.fromEntries(environment);
  if (modelVersion !== undefined && env.MODEL_VERSION === undefined) env.MODEL_VERSION = modelVersion;
  return {
    image,
    ...(modelVersion !== undefined ? { modelVersion } : env.MODEL_VERSION !== undefined ? { modelVersion: env.MODEL_VERSION } : {}),
    ...(Object.keys(env).length > 0 ? { environment: env } : {}),
  };
}
