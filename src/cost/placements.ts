// Host cycles per packet for each placement, as named parts. Each function composes profile
// constants along the path a packet takes there; nothing here knows the published results.
import { accessCycles } from './cache.js';
import type { CostInput, StackPath } from './input.js';
import { addProgram } from './program.js';
import { Parts } from './parts.js';
import type { CostProfile } from './profile.js';

/** Packets handled per interrupt at an offered rate: what arrives during the coalescing delay, at most one softirq budget. */
export function packetsPerIrq(p: CostProfile, offeredMpps?: number): number {
  const budget = p.get('driver.netdevBudget');
  if (offeredMpps === undefined) return budget;
  const arriving = offeredMpps * 1e6 * (p.ns('driver.irqCoalesce') / 1e9);
  return Math.min(budget, Math.max(1, arriving));
}

export function fibFacts(p: CostProfile, input: CostInput): { levels: number; accessCycles: number } {
  const routes = Math.max(1, input.fibRoutes ?? 1);
  // LC-trie with level compression: about 4 address bits resolved per node (assumed).
  const levels = Math.max(1, Math.ceil(Math.log2(routes) / 4));
  return { levels, accessCycles: accessCycles(p, input.fibHotBytes ?? routes * 64) };
}

/** NIC driver receive up to the XDP hook: per-packet work plus the poll and interrupt shares. */
function driverRx(p: CostProfile, input: CostInput, parts: Parts): void {
  const ppi = packetsPerIrq(p, input.offeredMpps);
  const polls = Math.ceil(ppi / p.get('driver.napiWeight'));
  parts.add('driver.rxPerPacket', p.get('driver.rxPerPacket'));
  parts.add('driver.napiPoll', (p.get('driver.napiPoll') * polls) / ppi);
  parts.add('driver.irq', p.get('driver.irq') / ppi);
}

/** The stack from skb allocation on, for a packet the driver (or XDP_PASS) hands up. */
export function stack(p: CostProfile, input: CostInput, path: StackPath, parts: Parts, skbAllocated = false): void {
  if (!skbAllocated) {
    parts.add('kernel.skbAlloc', p.get('kernel.skbAlloc'));
    parts.add('kernel.gro', p.get('kernel.gro'));
  }
  parts.add('kernel.netifReceive', p.get('kernel.netifReceive'));
  parts.add('kernel.ipRcv', p.get('kernel.ipRcv'));
  switch (path) {
    case 'raw-drop':
      parts.add('kernel.nfRawDrop', p.get('kernel.nfRawDrop'));
      parts.add('kernel.kfreeSkb', p.get('kernel.kfreeSkb'));
      return;
    case 'conntrack-drop':
      parts.add('kernel.conntrack', p.get('kernel.conntrack'));
      parts.add('kernel.nfRawDrop', p.get('kernel.nfRawDrop'));
      parts.add('kernel.kfreeSkb', p.get('kernel.kfreeSkb'));
      return;
    case 'forward': {
      const fib = fibFacts(p, input);
      parts.add('kernel.fibLookup', p.get('kernel.fibLookup'));
      parts.add('fib trie', fib.levels * fib.accessCycles);
      parts.add('kernel.ipForward', p.get('kernel.ipForward'));
      transmit(p, parts);
      return;
    }
    case 'local': {
      parts.add('kernel.udpDeliver', p.get('kernel.udpDeliver'));
      const batch = Math.max(1, input.recvBatch ?? 1);
      parts.add('receiver kernel.syscall', p.get('kernel.syscall') / batch);
      parts.add('receiver kernel.recvPerPacket', p.get('kernel.recvPerPacket'));
      return;
    }
  }
}

function transmit(p: CostProfile, parts: Parts): void {
  parts.add('kernel.devQueueXmit', p.get('kernel.devQueueXmit'));
  parts.add('kernel.driverXmit', p.get('kernel.driverXmit'));
  parts.add('kernel.kfreeSkb', p.get('kernel.kfreeSkb'));
}

/** Default stack path for traffic the function leaves to Linux, from the verdict. */
export function defaultPath(input: CostInput): StackPath {
  if (input.stackPath) return input.stackPath;
  const v = input.program.verdict;
  return v === 'tx' || v === 'redirect' ? 'forward' : v === 'pass' ? 'local' : 'raw-drop';
}

export function xdpNative(p: CostProfile, input: CostInput): Parts {
  const parts = new Parts();
  driverRx(p, input, parts);
  parts.add('xdp.hookNative', p.get('xdp.hookNative'));
  addProgram(p, input.program, parts, fibFacts(p, input));
  switch (input.program.verdict) {
    case 'aborted': case 'drop': parts.add('xdp.drop', p.get('xdp.drop')); break;
    case 'tx': parts.add('xdp.tx', p.get('xdp.tx')); break;
    case 'redirect': parts.add('xdp.redirect', p.get('xdp.redirect')); break;
    case 'pass': stack(p, input, input.stackPath ?? 'local', parts); break;
  }
  return parts;
}

export function xdpGeneric(p: CostProfile, input: CostInput): Parts {
  const parts = new Parts();
  driverRx(p, input, parts);
  parts.add('kernel.skbAlloc', p.get('kernel.skbAlloc'));
  parts.add('kernel.gro', p.get('kernel.gro'));
  parts.add('xdp.hookGeneric', p.get('xdp.hookGeneric'));
  addProgram(p, input.program, parts, fibFacts(p, input));
  switch (input.program.verdict) {
    case 'aborted': case 'drop': parts.add('kernel.kfreeSkb', p.get('kernel.kfreeSkb')); break;
    // Generic XDP_TX and redirect go out through dev_queue_xmit with the skb.
    case 'tx': case 'redirect': transmit(p, parts); break;
    case 'pass': stack(p, input, input.stackPath ?? 'local', parts, true); break;
  }
  return parts;
}

/** Host cycles with the program on the NIC: zero unless it passes packets up. */
export function xdpOffload(p: CostProfile, input: CostInput): Parts {
  const parts = new Parts();
  parts.add('xdp.hookOffload', p.get('xdp.hookOffload'));
  if (input.program.verdict === 'pass') {
    driverRx(p, input, parts);
    stack(p, input, input.stackPath ?? 'local', parts);
  }
  return parts;
}

/** The program in a DPDK PMD application through librte_bpf; verdict drop frees, others forward. */
export function dpdk(p: CostProfile, input: CostInput, burst = 32): Parts {
  const parts = new Parts();
  parts.add('dpdk.rxPerPacket', p.get('dpdk.rxPerPacket'));
  parts.add('dpdk.rxPerBurst', p.get('dpdk.rxPerBurst') / burst);
  parts.add('dpdk.mbufAlloc', p.get('dpdk.mbufAlloc'));
  parts.add('dpdk.bpfPerPacket', p.get('dpdk.bpfPerPacket'));
  addProgram(p, input.program, parts, fibFacts(p, input));
  const v = input.program.verdict;
  if (v === 'tx' || v === 'redirect' || v === 'pass') {
    parts.add('dpdk.txPerPacket', p.get('dpdk.txPerPacket'));
    parts.add('dpdk.txPerBurst', p.get('dpdk.txPerBurst') / burst);
  }
  parts.add('dpdk.mbufFree', p.get('dpdk.mbufFree'));
  return parts;
}

/** The same function done by the Linux stack itself (iptables, conntrack, routing, a socket). */
export function kernel(p: CostProfile, input: CostInput): Parts {
  const parts = new Parts();
  driverRx(p, input, parts);
  stack(p, input, defaultPath(input), parts);
  return parts;
}

/** SmartNIC datapath: host cycles only for the share that falls back to the host path. */
export function smartnic(p: CostProfile, input: CostInput): Parts {
  const parts = new Parts();
  const sn = input.smartnic ?? { fallbackFraction: 0, fallbackPath: 'kernel' as const };
  if (sn.fallbackFraction > 0) {
    const host = sn.fallbackPath === 'dpdk' ? dpdk(p, input) : kernel(p, input);
    parts.addScaled(host, sn.fallbackFraction, `fallback(${sn.fallbackPath}) `);
  }
  return parts;
}
