import * as core from '@actions/core';
import { RELEASE_VERSION, runAction, writeSummary } from '@svg-ai-release/action-kit';
import { EcrRegistry } from '@svg-ai-release/aws/registry';
import { tmpdir } from 'node:os';
import { BUILD_PUSH } from './contract.js';
import { onPath, spawnProcess } from './exec.js';
import { readBuildPushInputs } from './inputs.js';
import { logoutInvocation, runBuildPush } from './run.js';
import { metadataOutput, summarySections } from './summary.js';
import { BUILDERS, type Builder } from './engines/spec.js';

const STATE_BUILDER = 'registry-builder';
const STATE_HOST = 'registry-host';

export async function main(): Promise<void> {
  // The same bundle is the post step; the main step leaves state behind only after a login.
  if (core.getState('is-post') === 'true') return post();
  core.saveState('is-post', 'true');
  await runAction(BUILD_PUSH.name, async () => {
    const inputs = readBuildPushInputs();
    const registry = new EcrRegistry({
      region: inputs.region,
      userAgent: `svg-ai-release/${RELEASE_VERSION} build-push`,
      ...(inputs.endpointUrl ? { endpoint: inputs.endpointUrl.toString() } : {}),
    });
    try {
      const result = await runBuildPush(
        inputs,
        {
          sha: process.env['GITHUB_SHA'],
          ref: process.env['GITHUB_REF'],
          serverUrl: process.env['GITHUB_SERVER_URL'],
          repository: process.env['GITHUB_REPOSITORY'],
          sourceDateEpoch: process.env['SOURCE_DATE_EPOCH'],
        },
        {
          registry,
          run: spawnProcess,
          probe: {
            buildx: async () =>
              (await onPath('docker')) &&
              (await spawnProcess({ program: 'docker', args: ['buildx', 'version'], step: 'build' }, { onLine: () => undefined })).code ===
                0,
            buildah: () => onPath('buildah'),
          },
          log: { info: core.info, warning: core.warning, group: core.group },
          mask: core.setSecret,
          saveLogin: ({ builder, host }) => {
            core.saveState(STATE_BUILDER, builder);
            core.saveState(STATE_HOST, host);
          },
          tempDir: process.env['RUNNER_TEMP'] ?? tmpdir(),
          sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
          now: () => performance.timeOrigin + performance.now(),
          env: process.env,
        },
      );
      core.info(
        `build-push: the action's own time ${Math.round(result.totalMs - result.engineMs)} ms, the engine's ${Math.round(result.engineMs)} ms`,
      );
      if (result.image !== undefined) core.setOutput(BUILD_PUSH.outputs.image, result.image);
      if (result.digest !== undefined) core.setOutput(BUILD_PUSH.outputs.digest, result.digest);
      core.setOutput(BUILD_PUSH.outputs.registry, result.registry);
      core.setOutput(BUILD_PUSH.outputs.tags, result.references.join('\n'));
      if (result.sizeInBytes !== undefined) core.setOutput(BUILD_PUSH.outputs.imageSize, String(result.sizeInBytes));
      core.setOutput(BUILD_PUSH.outputs.metadata, metadataOutput(result));
      await writeSummary(`build-push: ${result.repository}`, summarySections(result));
    } finally {
      registry.destroy();
    }
  });
}

/** Logs the engine out of the registry the main step logged in to; never fails the job. */
async function post(): Promise<void> {
  const builder = core.getState(STATE_BUILDER);
  const host = core.getState(STATE_HOST);
  if (host === '' || !(BUILDERS as readonly string[]).includes(builder)) return;
  const outcome = await spawnProcess(logoutInvocation(builder as Builder, host), { onLine: core.info });
  if (outcome.code === 0) core.info(`logged out of ${host}`);
  else core.warning(`could not log out of ${host} (exit ${outcome.code}); the credential expires within 12 hours anyway`);
}
