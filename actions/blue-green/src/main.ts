import { RELEASE_VERSION, runAction } from '@svg-ai-release/action-kit';
import { runDeployAction } from '@svg-ai-release/deploy-kit';
import { BLUE_GREEN } from './contract.js';
import { readBlueGreenInputs } from './inputs.js';
import { blueGreenSpec } from './spec.js';

const names = BLUE_GREEN.inputs;

export async function main(): Promise<void> {
  await runAction(BLUE_GREEN.name, () =>
    runDeployAction(
      {
        name: BLUE_GREEN.name,
        version: RELEASE_VERSION,
        outputs: BLUE_GREEN.outputs,
        topologyInputs: {
          listener: names.listenerArn,
          'test-listener': names.testListenerArn,
          cluster: names.cluster,
          'blue-service': names.blueService,
          'green-service': names.greenService,
        },
      },
      () => blueGreenSpec(readBlueGreenInputs()),
    ),
  );
}
