// The packet pipeline: traffic sources (pcap/pcapng streamed, generators with rate, size mix,
// flows; notation replay) through stages (SmartNIC tables, offloaded XDP, the host path over
// RSS queues: kernel with XDP native/generic, or DPDK) to sinks (pcap per port, counters).
//
//   const s = await runPipeline('programs/topologies/xdp-filter-kernel.yaml', { traffic: 'programs/traffic/udp-mix.yaml', out: 'out/' });
//   s.in === s.tx + s.redirected + s.delivered + s.dropped + s.queued   // s.balanced
//
// Time is virtual (ns); lanes can run on worker threads with identical results (`workers: 2`).
export type { Burst } from './burst.js';
export { makeBurst, DEFAULT_BURST } from './burst.js';
export { pcapSource, generatorSource, gapNs, type SourceOptions } from './sources.js';
export { loadTrafficProfile, parseTrafficProfile, IMIX, type TrafficProfile, type StreamSpec, type Rate } from './traffic.js';
export { loadTopology, parseTopology, type Topology, type PortSpec, type HostSpec, type XdpAttach } from './topology.js';
export { XdpProgram, loadProgram, type ProgramRef, XDP_ABORTED, XDP_DROP, XDP_PASS, XDP_TX, XDP_REDIRECT } from './program.js';
export { Rss, toeplitz } from './rss.js';
export { Ledger, PathCounters, totals, type PathSummary, type Totals } from './ledger.js';
export { RunContext } from './context.js';
export { smartnicStage } from './stage-tables.js';
export { offloadStage } from './stage-offload.js';
export { plainNicStage } from './stage-nic.js';
export { hostStage, type HostStageOptions } from './stage-host.js';
export { runPipeline, type RunOptions, type Summary } from './run.js';
export { measureTopology } from './measure.js';
export { formatSummary, summaryJson } from './format.js';
export { benchPipeline, type PipelineBenchResult, type PipelineBenchOptions } from './bench.js';
export { writeFrame, type FlowSpec, PROTO } from './frames.js';
export { Rng } from './rng.js';
