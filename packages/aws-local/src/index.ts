/** Local stand-in for the slice of AWS the release uses: library API. */
export { startAwsLocal, type AwsLocal, type AwsLocalAdmin, type AwsLocalOptions, type AwsLocalState } from './stand-in.js';
export { parseTopology, readTopologyFile, type Topology, type TopologyInput, type TopologyResources } from './topology.js';
export type { FaultConfig, LatencyFault, TaskFault, ThrottleFault, ServiceName } from './faults.js';
export type { ImageCommand, ImageCommands } from './dataplane/images.js';
export type { Finding, Severity } from './ecr/index.js';
