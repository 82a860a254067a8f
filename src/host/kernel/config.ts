// Configuration of the kernel receive-path model.
import type { Mempool } from '../../packet/index.js';
import type { PortConfig } from '../dpdk/port.js';
import type { HostTimings } from '../timings.js';

/** An XDP program at a hook: returns the XDP action (0 aborted, 1 drop, 2 pass, 3 tx, 4 redirect). */
export interface XdpHook {
  run(handle: number): number;
  /** Virtual ns the run just made took; default 0. */
  costNs?(handle: number): number;
}

/** What the stack (netfilter, routing) decides for a packet XDP passed. */
export type StackDecision = 'drop' | 'forward' | 'local';

export interface KernelConfig {
  timings: HostTimings;
  pool: Mempool;
  /** NIC ports (default one); one CPU serves all their RX rings (one NAPI instance each). */
  ports?: PortConfig[];
  /** XDP in driver (native) mode: runs in the NAPI poll before any skb. */
  native?: XdpHook;
  /** XDP in generic (skb) mode: runs after skb allocation and GRO. */
  generic?: XdpHook;
  /** Netfilter/routing decision per packet (default: every packet is local). */
  stack?: (handle: number) => StackDecision;
  /** Connection tracking on (nf_conntrack_in for every packet reaching the stack). */
  conntrack?: boolean;
  /** Port routed packets leave by (default 0). */
  forwardPort?: number;
  /** The user-space receiver of local packets (on its own CPU). */
  socket?: {
    /** SO_RCVBUF in bytes (default 212992, net.core.rmem_default). */
    rcvbufBytes?: number;
    /** Packets per recvmmsg call; 1 = recvmsg per packet (default 1). */
    batch?: number;
  };
}
