/**
 * The admin endpoint (`/_aws-local/…`), for tests and rehearsals that run the stand-in as a process:
 *   GET    /_aws-local/state    listeners with their URLs, target health, services and tasks, faults
 *   GET    /_aws-local/faults   what is injected now
 *   POST   /_aws-local/faults   add faults (JSON body, see FaultConfig)
 *   DELETE /_aws-local/faults   remove all faults
 *   GET    /_aws-local/v4/<task id>[/task]   the ECS task metadata endpoint its processes are given
 */
import { AwsError, toAwsError } from './errors.js';
import type { AwsHandler, AwsResponse } from './http-types.js';
import { checkFaultConfig, type Faults } from './faults.js';
import { containerMetadata, METADATA_PATH, taskMetadata, type MetadataSource } from './dataplane/task-metadata.js';

export function createAdminHandler(
  faults: Faults,
  state: () => unknown,
  metadata: (taskId: string) => MetadataSource | undefined,
): AwsHandler {
  return async (request) => {
    try {
      if (request.method === 'GET' && request.path.startsWith(METADATA_PATH))
        return metadataResponse(request.path.slice(METADATA_PATH.length), metadata);
      const route = `${request.method} ${request.path.replace(/\/+$/, '')}`;
      switch (route) {
        case 'GET /_aws-local/state':
          return json(200, state());
        case 'GET /_aws-local/faults':
          return json(200, faults.describe());
        case 'POST /_aws-local/faults': {
          let body: unknown;
          try {
            body = JSON.parse(request.body.toString('utf8'));
          } catch {
            throw new AwsError('ValidationError', 'The fault configuration must be a JSON object');
          }
          faults.add(checkFaultConfig(body));
          return json(200, faults.describe());
        }
        case 'DELETE /_aws-local/faults':
          faults.clear();
          return json(200, faults.describe());
        default:
          throw new AwsError('NotFound', `No admin route ${route} (state, faults)`, 404);
      }
    } catch (error) {
      const failure = toAwsError(error);
      return json(failure.status, { error: failure.code, message: failure.message });
    }
  };
}

function json(status: number, body: unknown): AwsResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function metadataResponse(rest: string, metadata: (taskId: string) => MetadataSource | undefined): AwsResponse {
  const [taskId = '', what] = rest.replace(/\/+$/, '').split('/');
  const source = metadata(taskId);
  if (!source) return json(404, { error: 'NotFound', message: `no task ${taskId}` });
  if (what === 'task') return json(200, taskMetadata(source));
  if (what !== undefined) return json(404, { error: 'NotFound', message: `no metadata path ${what}` });
  const main = source.containers[0];
  return main ? json(200, containerMetadata(source, main)) : json(404, { error: 'NotFound', message: 'the task has no container' });
}
