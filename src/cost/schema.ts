// The schema of host cost profiles (programs/profiles/host-*.json): every section, every key,
// the dimension its unit must have, and one line saying what it prices. The loader, the
// README and the error messages all read this table; nothing else lists the keys.

/** What a constant measures; each dimension accepts a few units. */
export type Dimension = 'time' | 'freq' | 'bytes' | 'count' | 'rate' | 'timePerByte' | 'timePerInsn';

export const UNITS: Record<Dimension, readonly string[]> = {
  time: ['cycles', 'ns', 'us'],
  freq: ['GHz'],
  bytes: ['bytes', 'KiB', 'MiB'],
  count: ['packets', 'count'],
  rate: ['pps', 'Mpps'],
  timePerByte: ['ns/byte', 'cycles/byte'],
  timePerInsn: ['cycles/insn'],
};

type KeyTable = Record<string, readonly [Dimension, string]>;

export const SCHEMA = {
  cpu: {
    frequency: ['freq', 'core clock; converts ns constants to cycles and cycles to Mpps'],
  },
  memory: {
    l1Latency: ['time', 'load-to-use latency of an L1d hit'],
    l2Latency: ['time', 'latency of an L2 hit'],
    l3Latency: ['time', 'latency of an L3 (LLC) hit'],
    ramLatency: ['time', 'latency of a local DRAM access'],
    remoteNumaExtra: ['time', 'added latency when the memory is on the other socket'],
    cacheLine: ['bytes', 'cache line size'],
    l1Size: ['bytes', 'L1d per core'],
    l2Size: ['bytes', 'L2 per core'],
    l3Size: ['bytes', 'L3 shared'],
  },
  driver: {
    rxPerPacket: ['time', 'NIC driver RX work per packet before any skb (CQE, descriptor, DMA sync, page refill)'],
    napiPoll: ['time', 'fixed cost of one NAPI poll call (amortised over its packets)'],
    irq: ['time', 'hard interrupt entry, handler and NAPI schedule'],
    irqCoalesce: ['time', 'interrupt coalescing delay (rx-usecs)'],
    napiWeight: ['count', 'packets per NAPI poll (NAPI_POLL_WEIGHT)'],
    netdevBudget: ['count', 'packets per softirq run (net.core.netdev_budget)'],
  },
  ebpf: {
    perInsn: ['timePerInsn', 'one executed JIT-compiled eBPF instruction'],
    packetTouch: ['time', 'first read of packet data (DDIO: already in L3, prefetched by the driver)'],
  },
  xdp: {
    hookNative: ['time', 'bpf_prog_run_xdp in the driver: xdp_buff setup and the indirect call'],
    hookGeneric: ['time', 'do_xdp_generic: headroom expansion/linearisation of the skb and the call'],
    hookOffload: ['time', 'host cycles of an offloaded program (it runs on the NIC)'],
    drop: ['time', 'XDP_DROP in native mode: recycle the page into the driver page cache'],
    tx: ['time', 'XDP_TX in native mode: XDP TX ring descriptor, doorbell share, completion'],
    redirect: ['time', 'XDP_REDIRECT to another NIC: xdp_do_redirect, bulk queue, ndo_xdp_xmit, completion'],
  },
  helpers: {
    default: ['time', 'a helper without its own entry'],
    map_lookup_elem: ['time', 'call overhead of bpf_map_lookup_elem (memory accesses priced by the map)'],
    map_update_elem: ['time', 'call overhead of bpf_map_update_elem'],
    map_delete_elem: ['time', 'call overhead of bpf_map_delete_elem'],
    redirect: ['time', 'bpf_redirect: records the target in per-CPU state'],
    redirect_map: ['time', 'bpf_redirect_map: devmap lookup and per-CPU state'],
    fib_lookup: ['time', 'bpf_fib_lookup: FIB lookup, neighbour lookup, MTU check'],
    xdp_adjust_head: ['time', 'bpf_xdp_adjust_head'],
    xdp_adjust_tail: ['time', 'bpf_xdp_adjust_tail'],
    csum_diff: ['time', 'bpf_csum_diff'],
    ktime_get_ns: ['time', 'bpf_ktime_get_ns'],
    get_prandom_u32: ['time', 'bpf_get_prandom_u32'],
    tail_call: ['time', 'bpf_tail_call'],
  },
  maps: {
    hashBase: ['time', 'fixed part of hashing a key (jhash set-up and finalise)'],
    hashPerByte: ['timePerByte', 'hashing cost per key byte'],
    lpmPerLevel: ['time', 'compute per trie level besides its memory access (prefix compare)'],
  },
  kernel: {
    skbAlloc: ['time', 'sk_buff allocation and build around the page'],
    kfreeSkb: ['time', 'freeing an skb and its data'],
    gro: ['time', 'napi_gro_receive for a packet that is not merged'],
    netifReceive: ['time', '__netif_receive_skb_core: protocol demux, taps'],
    ipRcv: ['time', 'ip_rcv: header checks, PREROUTING hook entry'],
    nfRawDrop: ['time', 'iptables raw table traversal and a DROP rule'],
    conntrack: ['time', 'nf_conntrack_in for a packet that creates or looks up a connection'],
    fibLookup: ['time', 'fib_table_lookup with a small table'],
    ipForward: ['time', 'ip_forward, TTL, neighbour output'],
    devQueueXmit: ['time', 'dev_queue_xmit: qdisc enqueue/dequeue with its locks'],
    driverXmit: ['time', 'driver ndo_start_xmit: descriptor, DMA map, doorbell'],
    udpDeliver: ['time', 'udp_rcv, socket lookup and enqueue on the receive queue'],
    syscall: ['time', 'a system call entry and exit'],
    recvPerPacket: ['time', 'per packet copy to user space and skb free in recvmsg/recvmmsg'],
    contextSwitch: ['time', 'waking a blocked receiver thread and switching to it'],
    skbTruesize: ['bytes', 'memory charged to the socket per small packet (skb->truesize)'],
  },
  dpdk: {
    rxPerPacket: ['time', 'PMD rx_burst work per packet (descriptor read, mbuf fields)'],
    rxPerBurst: ['time', 'fixed cost of one rx_burst call that returns packets'],
    txPerPacket: ['time', 'PMD tx_burst work per packet (descriptor write)'],
    txPerBurst: ['time', 'fixed cost of one tx_burst call (tail doorbell)'],
    mbufAlloc: ['time', 'one mbuf from the per-lcore cache, in bulk'],
    mbufFree: ['time', 'one mbuf back to the per-lcore cache, in bulk'],
    emptyPoll: ['time', 'an rx_burst call that finds no packet'],
    ringPerBurst: ['time', 'rte_ring enqueue or dequeue call, single producer/consumer'],
    ringPerPacket: ['time', 'rte_ring per object copied'],
    ringMpExtra: ['time', 'extra for a multi-producer/consumer (CAS) ring operation'],
    bpfPerPacket: ['time', 'librte_bpf RX callback overhead per packet'],
  },
  pcie: {
    perPacket: ['time', 'DMA of descriptors and completion per packet'],
    perByte: ['timePerByte', 'DMA of packet data per byte'],
    maxRate: ['rate', 'packets per second the PCIe link and NIC sustain'],
  },
  latency: {
    lowRate: ['rate', 'offered rate of the low-rate latency measurement'],
    highRate: ['rate', 'offered rate of the high-rate latency measurement'],
    irqLow: ['time', 'interrupt-driven forwarding latency at the low rate'],
    irqHigh: ['time', 'interrupt-driven forwarding latency at the high rate'],
    pollLow: ['time', 'busy-polling forwarding latency at the low rate'],
    pollHigh: ['time', 'busy-polling forwarding latency at the high rate'],
  },
} as const satisfies Record<string, KeyTable>;

export type Section = keyof typeof SCHEMA;
/** `section.key`, e.g. `kernel.skbAlloc`. */
export type ConstKey = { [S in Section]: `${S}.${keyof (typeof SCHEMA)[S] & string}` }[Section];

/** `helpers` needs only `default` (others fall back to it); every other key is required. */
export const REQUIRED_KEYS: Partial<Record<Section, readonly string[]>> = { helpers: ['default'] };

export function dimensionOf(section: string, key: string): Dimension | undefined {
  const s = (SCHEMA as Record<string, KeyTable>)[section];
  return s?.[key]?.[0];
}
