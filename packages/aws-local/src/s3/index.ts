/** The S3 slice of the stand-in: REST-XML, path-style addressing, versioning, tags, checksums. */
import type { AwsHandler } from '../http-types.js';
import { createS3Router } from './handler.js';
import { restoreStore, snapshotStore } from './snapshot.js';
import { S3Store } from './store.js';

export interface S3Handler {
  readonly handle: AwsHandler;
  /** The whole state as JSON-serialisable data (object bodies base64). */
  snapshot(): unknown;
  /** Replaces the state with a snapshot's; throws, leaving the state as it was, if the data is malformed. */
  restore(data: unknown): void;
}

export function createS3Handler(options: { region?: string } = {}): S3Handler {
  const store = new S3Store();
  return {
    handle: createS3Router(store, options.region ?? 'us-east-1'),
    snapshot: () => snapshotStore(store),
    restore: (data) => restoreStore(store, data),
  };
}
