// An ethdev port: one RX and one TX descriptor ring and the wire on each side. The NIC side
// (filling RX descriptors as frames arrive, sending TX descriptors at line rate) lives here;
// the software side (rx_burst/tx_burst) is in the lcore loop.
import { DescRing } from '../desc-ring.js';

export interface PortConfig {
  /** RX descriptors (power of two; l3fwd default 1024). */
  rxDesc?: number;
  /** TX descriptors (power of two; l3fwd default 1024). */
  txDesc?: number;
  /** Link speed, Gbit/s (default 100). */
  linkGbps?: number;
}

export interface PortStats {
  ipackets: number;
  /** Frames the NIC dropped for want of a descriptor (rx ring full or mempool empty). */
  imissed: number;
  /** Replacement mbuf allocations that failed in rx_burst. */
  rxNombuf: number;
  opackets: number;
  /** Packets tx_burst could not place (tx ring full). */
  oerrors: number;
}

/** Frame time on the wire: 20 bytes of preamble, SFD and inter-frame gap per frame; 4 bytes FCS. */
export function wireNs(len: number, gbps: number): number {
  return ((Math.max(len, 60) + 4 + 20) * 8) / gbps;
}

export class Port {
  readonly rx: DescRing;
  readonly tx: DescRing;
  readonly linkGbps: number;
  /** When the RX wire finishes the last frame, and the TX wire the last departure. */
  rxWire = 0;
  txWire = 0;
  readonly stats: PortStats = { ipackets: 0, imissed: 0, rxNombuf: 0, opackets: 0, oerrors: 0 };

  constructor(readonly id: number, cfg: PortConfig = {}) {
    this.rx = new DescRing(`port ${id} rx ring`, cfg.rxDesc ?? 1024);
    this.tx = new DescRing(`port ${id} tx ring`, cfg.txDesc ?? 1024);
    this.linkGbps = cfg.linkGbps ?? 100;
  }
}
