import { jestConfig } from '../../jest.preset.js';

// Each end-to-end case is a whole release with real processes and traffic: tens of seconds.
export default jestConfig({ testTimeout: 180_000 });
