// Main: saves state and an output through the command files. Post: appends what it was handed to INPUT_LOG.
import { appendFileSync } from 'node:fs';
const env = process.env;
if (env.STATE_phase === 'main') {
  appendFileSync(env.INPUT_LOG, `post who=${env.INPUT_WHO} state=${env.STATE_greeted}\n`);
} else {
  appendFileSync(env.GITHUB_STATE, `phase=main\ngreeted=${env.INPUT_WHO}\n`);
  appendFileSync(env.GITHUB_OUTPUT, `greeting=Hello ${env.INPUT_WHO}\n`);
  appendFileSync(env.GITHUB_STEP_SUMMARY, `greeted ${env.INPUT_WHO}\n`);
  appendFileSync(env.INPUT_LOG, `main who=${env.INPUT_WHO} workspace=${env.GITHUB_WORKSPACE === process.cwd()}\n`);
  if (env.INPUT_FAIL === 'true') process.exit(1);
}
