// A topology run as `xdplab compare` prices it: the run's per-path counts, what the VM measured
// for each program instance, the NIC tables' fallbacks and the frames' wire sizes, with the
// topology facts the cost model needs (where the function runs, the host path and stack).
import type { TopologyRun } from '../cost/index.js';
import { runPipeline, type RunOptions } from './run.js';
import { loadTopology } from './topology.js';

export async function measureTopology(file: string, opts: RunOptions): Promise<TopologyRun> {
  const topo = loadTopology(file);
  const s = await runPipeline(file, opts);
  const h = topo.host;
  return {
    topology: {
      file, name: topo.name, description: topo.description, costProfile: topo.costProfile,
      nic: { ...(topo.nic.profile ? { profile: topo.nic.profile } : {}), ...(topo.nic.tables ? { tables: topo.nic.tables } : {}), offload: topo.nic.xdp !== undefined },
      // A DPDK application forwards what its program passes (or drops it, rxonly): that is its "stack".
      ...(h ? { host: { path: h.path, queues: h.queues, stack: h.path === 'dpdk' ? ([...h.forward.values()].some((v) => v !== null) ? 'forward' : 'drop') : h.stack } } : {}),
    },
    traffic: opts.traffic,
    totals: { in: s.in, tx: s.tx, redirected: s.redirected, delivered: s.delivered, dropped: s.dropped, queued: s.queued, balanced: s.balanced },
    paths: Object.fromEntries(Object.entries(s.paths).map(([name, p]) => [name, {
      in: p.in, tx: p.tx, redirected: p.redirected, delivered: p.delivered, dropped: p.dropped, queued: p.queued, passed: p.passed, drops: p.drops,
    }])),
    programs: s.programs, fallbacks: s.fallbacks, wire: s.wire, virtualNs: s.virtualNs,
  };
}
