// Configuration of the DPDK model: ports, rte_rings between lcores, and lcores.
import type { Mempool } from '../../packet/index.js';
import type { HostTimings } from '../timings.js';
import type { PortConfig } from './port.js';

/** An eBPF program run in the PMD application (librte_bpf style): 0 drops, anything else keeps. */
export interface BpfCallback {
  run(handle: number): number;
  /** Virtual ns the run just made took (e.g. priced from the VM's counters); default 0. */
  costNs?(handle: number): number;
}

export interface LcoreConfig {
  name?: string;
  /**
   * rtc: rx_burst → program → tx_burst on one core (run to completion);
   * rx: rx_burst → rte_ring; worker: rte_ring → program → tx_burst (pipeline mode).
   */
  role: 'rtc' | 'rx' | 'worker';
  /** Port polled (rtc, rx). */
  rxPort?: number;
  /** Ring written (rx) or read (worker). */
  ring?: string;
  /** Port the kept packets go out of; null or absent: rxonly (every packet freed). */
  txPort?: number | null;
  program?: BpfCallback;
  /** Burst size (default 32, DEF_PKT_BURST). */
  burst?: number;
  /** rx role: enqueue all-or-nothing (bulk) instead of as-many-as-possible (burst). */
  bulk?: boolean;
}

export interface RingConfig {
  name: string;
  /** Power of two. */
  size: number;
  sp?: boolean;
  sc?: boolean;
}

export interface DpdkConfig {
  timings: HostTimings;
  /** The shared mbuf pool: offered handles come from it, and the RX rings are filled from it. */
  pool: Mempool;
  /** Per-lcore mempool cache size (default 256, max 512). */
  cacheSize?: number;
  ports: PortConfig[];
  rings?: RingConfig[];
  lcores: LcoreConfig[];
  /** TX descriptors are cleaned when fewer than this many are free (tx_free_thresh, default 32). */
  txFreeThresh?: number;
}
