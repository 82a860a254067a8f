// The cycle cost model: host cost profiles (every constant sourced), map and cache pricing,
// and per-placement cycles per packet with breakdowns.
//   const p = readCostProfile();                        // programs/profiles/host-xeon-e5-1650v4.json
//   const prog = programFromCounters(rt.counters.snapshot(rt.memory), specs, retval);
//   const report = estimate(p, { program: prog, offeredMpps: 10 });
export { SCHEMA, UNITS, type ConstKey, type Dimension, type Section } from './schema.js';
export { loadCostProfile, overrideProfileJson, type CostProfile, type Constant, type ConstKind } from './profile.js';
export { readCostProfile, profilesDir, DEFAULT_PROFILE } from './load.js';
export { residency, accessCycles, type Residency } from './cache.js';
export { mapCost, mapUseFromSpec, tableBytes, readsPerLookup, type MapUse, type MapKind, type MapCost } from './maps.js';
export { frameTimeNs, lineRateMpps, cycleBudget, mppsPerCore, WIRE_OVERHEAD_BYTES } from './linerate.js';
export { PLACEMENTS, VERDICTS, verdictOf, programFromCounters, type Placement, type Verdict, type StackPath, type ProgramRun, type CostInput } from './input.js';
export { estimate, offloadReasons, type PlacementCost, type CostReport } from './model.js';
export { packetsPerIrq } from './placements.js';
export { Parts, type Part } from './parts.js';
export { programCycles } from './program.js';
export { hostTimings } from './timings.js';
// `xdplab compare`: a program or rule set measured over traffic in the VM, priced per placement.
export { compare, coresCurve, coresFor, type CompareResult, type CompareOptions, type PlacementResult } from './compare.js';
export { openSubject, subjectRuntime, TOPOLOGY_NEEDS_PIPELINE, NO_TABLE_FORM, type Subject, type SubjectKind } from './compare-subject.js';
export { compareTopology, verifyTopologyPrograms } from './compare-topology.js';
export { combine, type Group, type Blocked } from './compare-combine.js';
export type { ProgramTally, PathCounts, TopologyRun, TopologyFacts } from './compare-topology-types.js';
export { verifierCheck, reasonText, type OffloadAnswer } from './compare-verify.js';
export { loadTraffic, trafficFromPcap, trafficFromProfile, wireBytesOf, type Traffic, type Frame } from './compare-traffic.js';
export { parseRate, offeredMpps, formatRate, type Rate } from './compare-rate.js';
export { measure, distribution, type Measurement, type Distribution, type VerdictGroup } from './compare-measure.js';
export { planSmartnic, flowKey, type SmartnicPlan } from './compare-smartnic.js';
export { formatCompare, formatHeader, formatTable, formatPaths, offloadSource, compareJson } from './compare-format.js';
export { reportHtml, type ReportOptions } from './report/index.js';
export { readNicProfile, DEFAULT_NIC } from './compare-nic.js';
