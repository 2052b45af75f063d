import { jestConfig } from '../jest.preset.js';

// Synthesising every stack and running cdk-nag takes a few seconds per app on a busy machine.
export default jestConfig({ testTimeout: 120000 });
