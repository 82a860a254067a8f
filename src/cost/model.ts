// The cost model's answer: for each placement, host cycles per packet with a breakdown, Mpps
// per core, cores for the offered rate, a latency estimate, and whether it can be offloaded.
import { helperName } from '../isa/index.js';
import { PLACEMENTS, type CostInput, type Placement } from './input.js';
import { mppsPerCore } from './linerate.js';
import type { Part } from './parts.js';
import * as place from './placements.js';
import type { CostProfile } from './profile.js';

export interface PlacementCost {
  placement: Placement;
  /** Host cycles per packet at the offered rate (saturation when none is given). */
  cycles: number;
  breakdown: Part[];
  /** Packets per second one core sustains on this path, in Mpps (Infinity: no host work). */
  mppsPerCore: number;
  /** Whole cores needed for the offered rate (undefined without one). */
  coresNeeded?: number;
  /** Cores kept busy at the offered rate: load-proportional, except DPDK which polls at 100%. */
  cpuBusy?: number;
  /** Average latency estimate in ns; null where the packet never reaches the host. */
  latencyNs: number | null;
  /** Whether the placement is possible for this program, with the reasons when not. */
  possible: boolean;
  reasons: string[];
  notes: string[];
}

export interface CostReport {
  profile: string;
  ghz: number;
  packetBytes: number;
  offeredMpps?: number;
  placements: PlacementCost[];
}

// What the NFP JIT accepts (domain.md §3): anything else cannot be offloaded.
const NFP_HELPERS = new Set(['bpf_map_lookup_elem', 'bpf_map_update_elem', 'bpf_map_delete_elem', 'bpf_xdp_adjust_head',
  'bpf_xdp_adjust_tail', 'bpf_get_prandom_u32', 'bpf_perf_event_output']);

/** Reasons from the caller (`verify --target hw`) plus what the cost model can see itself. */
export function offloadReasons(input: CostInput): string[] {
  const out = [...(input.offloadReasons ?? [])];
  const add = (r: string): void => { if (!out.includes(r)) out.push(r); };
  if (input.program.verdict === 'redirect') add('XDP_REDIRECT is treated as abort on the NIC (nfp_outro_xdp)');
  for (const id of Object.keys(input.program.helperCalls)) {
    const name = helperName(Number(id));
    if (!NFP_HELPERS.has(name)) add(`helper ${name} is not supported by the NIC JIT`);
  }
  for (const m of input.program.maps) {
    if (m.kind !== 'array' && m.kind !== 'hash') add(`map ${m.name} (${m.kind}) cannot be offloaded: only array and hash maps can`);
  }
  return out;
}

/** Log-linear interpolation between the two published latency points, clamped outside them. */
function curve(p: CostProfile, low: 'latency.irqLow' | 'latency.pollLow', high: 'latency.irqHigh' | 'latency.pollHigh', offeredMpps?: number): number {
  const lo = p.get('latency.lowRate');
  const hi = p.get('latency.highRate');
  const r = offeredMpps === undefined ? hi : Math.min(hi, Math.max(lo, offeredMpps * 1e6));
  const t = Math.log(r / lo) / Math.log(hi / lo);
  return p.ns(low) + t * (p.ns(high) - p.ns(low));
}

export function estimate(p: CostProfile, input: CostInput, only: readonly Placement[] = PLACEMENTS): CostReport {
  const bytes = input.packetBytes ?? 64;
  const dma = p.ns('pcie.perPacket') + bytes * p.get('pcie.perByte') / p.ghz;
  const out: PlacementCost[] = [];
  for (const placement of only) {
    const parts = build(p, input, placement);
    const sat = build(p, { ...input, offeredMpps: undefined }, placement).total;
    const cycles = parts.total;
    const mpps = sat > 0 ? Math.min(mppsPerCore(sat, p.ghz), p.get('pcie.maxRate') / 1e6) : Infinity;
    const serviceNs = cycles / p.ghz;
    const notes: string[] = [];
    let reasons: string[] = [];
    let latencyNs: number | null = null;
    const v = input.program.verdict;
    switch (placement) {
      case 'dpdk':
        latencyNs = curve(p, 'latency.pollLow', 'latency.pollHigh', input.offeredMpps) + serviceNs;
        notes.push('busy polling: each PMD core is 100% busy whatever the load');
        if (input.program.maps.length > 0) notes.push('librte_bpf has no eBPF maps: map accesses are priced as equivalent DPDK tables');
        break;
      case 'xdp-offload':
        reasons = offloadReasons(input);
        latencyNs = v === 'pass' ? curve(p, 'latency.irqLow', 'latency.irqHigh', input.offeredMpps) + dma + serviceNs : null;
        if (v !== 'pass') notes.push('handled on the NIC: no host cycles; NIC throughput comes from the SmartNIC model');
        break;
      case 'smartnic': {
        const sn = input.smartnic;
        reasons = sn?.reasons ?? [];
        latencyNs = sn && sn.fallbackFraction > 0
          ? sn.fallbackFraction * (curve(p, sn.fallbackPath === 'dpdk' ? 'latency.pollLow' : 'latency.irqLow', sn.fallbackPath === 'dpdk' ? 'latency.pollHigh' : 'latency.irqHigh', input.offeredMpps) + dma + serviceNs / sn.fallbackFraction)
          : null;
        notes.push(`host cycles only for the ${((sn?.fallbackFraction ?? 0) * 100).toFixed(1)}% of packets that fall back`);
        break;
      }
      default: {
        latencyNs = curve(p, 'latency.irqLow', 'latency.irqHigh', input.offeredMpps) + dma + serviceNs;
        if (placement === 'kernel') notes.push(`the Linux stack does the work: ${place.defaultPath(input)}`);
        if ((placement === 'kernel' || v === 'pass') && place.defaultPath(input) === 'local') {
          notes.push('includes the user-space receiver (syscall share, copy) on its own core');
        }
      }
    }
    const pc: PlacementCost = { placement, cycles, breakdown: parts.list, mppsPerCore: mpps, latencyNs, possible: reasons.length === 0, reasons, notes };
    if (input.offeredMpps !== undefined) {
      const need = cycles > 0 ? input.offeredMpps / mpps : 0;
      pc.coresNeeded = Math.ceil(need - 1e-9);
      pc.cpuBusy = placement === 'dpdk' ? Math.max(1, pc.coresNeeded) : need;
    }
    out.push(pc);
  }
  return { profile: p.name, ghz: p.ghz, packetBytes: bytes, offeredMpps: input.offeredMpps, placements: out };
}

function build(p: CostProfile, input: CostInput, placement: Placement) {
  switch (placement) {
    case 'smartnic': return place.smartnic(p, input);
    case 'xdp-offload': return place.xdpOffload(p, input);
    case 'xdp-native': return place.xdpNative(p, input);
    case 'xdp-generic': return place.xdpGeneric(p, input);
    case 'dpdk': return place.dpdk(p, input);
    case 'kernel': return place.kernel(p, input);
  }
}
