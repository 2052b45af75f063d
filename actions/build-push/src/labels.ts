/** The image's labels: the OCI annotations of where it came from, the model it serves, and any given outright. */

export interface LabelContext {
  readonly serverUrl: string | undefined;
  readonly repository: string | undefined;
  readonly sha: string | undefined;
  /** ISO 8601; from SOURCE_DATE_EPOCH when set, so that a rebuild of the same commit gets the same labels. */
  readonly created: string;
  readonly version: string | undefined;
  readonly modelVersion: string | undefined;
  readonly modelSha256: string | undefined;
}

export const MODEL_VERSION_LABEL = 'ai.svg.model.version';
export const MODEL_SHA256_LABEL = 'ai.svg.model.sha256';

export function imageLabels(context: LabelContext, extra: ReadonlyMap<string, string>): Map<string, string> {
  const labels = new Map<string, string>();
  if (context.serverUrl && context.repository) labels.set('org.opencontainers.image.source', `${context.serverUrl}/${context.repository}`);
  if (context.sha) labels.set('org.opencontainers.image.revision', context.sha);
  labels.set('org.opencontainers.image.created', context.created);
  const version = context.version ?? context.sha?.slice(0, 7);
  if (version) labels.set('org.opencontainers.image.version', version);
  if (context.modelVersion) labels.set(MODEL_VERSION_LABEL, context.modelVersion);
  if (context.modelSha256) labels.set(MODEL_SHA256_LABEL, context.modelSha256);
  for (const [key, value] of extra) labels.set(key, value);
  return labels;
}

/** The creation time: SOURCE_DATE_EPOCH (seconds) when it is set, else now. */
export function createdAt(sourceDateEpoch: string | undefined, now: Date): string {
  if (sourceDateEpoch !== undefined && /^\d+$/.test(sourceDateEpoch)) return new Date(Number(sourceDateEpoch) * 1000).toISOString();
  return now.toISOString();
}
