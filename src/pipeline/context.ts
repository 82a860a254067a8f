// What the stages of one run share: the ledger, the pcap writers per output port, port names
// and the PCIe crossing time from the NIC to the host.
import { join } from 'node:path';
import type { CostProfile } from '../cost/index.js';
import { PcapWriter, type Mempool } from '../packet/index.js';
import { Ledger } from './ledger.js';
import type { Topology } from './topology.js';

export class RunContext {
  readonly ledger = new Ledger();
  readonly writers = new Map<number, PcapWriter>();
  /** Latest virtual time seen at the source. */
  lastNs = 0;
  /** Packets the NIC's tables sent to the host, by reason (host reason or `trap NAME`). */
  readonly fallbacks = new Map<string, number>();
  /** Frames in: count, bytes on the wire (with FCS, at least 64) and how many of each size. */
  readonly wire = { frames: 0, bytes: 0, sizes: new Map<number, number>() };
  private readonly names = new Map<number, string>();
  private readonly pciePacket: number;
  private readonly pcieByte: number;

  constructor(readonly topo: Topology, cost: CostProfile, readonly outDir?: string) {
    for (const p of topo.ports) this.names.set(p.index, p.name);
    this.pciePacket = cost.ns('pcie.perPacket');
    this.pcieByte = cost.ns('pcie.perByte');
    if (outDir) for (const p of topo.ports) this.writers.set(p.index, new PcapWriter(join(outDir, `${p.name}.pcap`)));
  }

  portName(i: number): string {
    return this.names.get(i) ?? `port${i}`;
  }

  /** Virtual ns a frame takes from the NIC into host memory. */
  dmaNs(len: number): number {
    return this.pciePacket + this.pcieByte * len;
  }

  /** Write a frame leaving `port` (when capturing). */
  capture(port: number, bytes: Uint8Array, timeNs: number): void {
    this.writers.get(port)?.write(bytes, timeNs);
  }

  captureMbuf(port: number, pool: Mempool, h: number, timeNs: number): void {
    const w = this.writers.get(port);
    if (w) w.write(pool.data(h), timeNs);
  }

  close(): void {
    for (const w of this.writers.values()) w.close();
  }
}
