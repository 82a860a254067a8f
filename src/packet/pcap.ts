// pcap and pcapng files: a streaming reader (constant memory for any file size) and a pcap
// writer. Formats: classic libpcap (both byte orders, micro- and nanosecond magic) and pcapng
// (Section Header, Interface Description, Enhanced and Simple Packet Blocks; others skipped).
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { fail } from '../diag/index.js';

export const LINKTYPE_ETHERNET = 1;

export interface PcapRecord {
  /** Timestamp in nanoseconds since the epoch, as a double (exact up to ~104 days of ns; ample). */
  timeNs: number;
  /** Captured bytes (a copy owned by the caller). */
  data: Uint8Array;
  /** Length of the packet on the wire. */
  origLen: number;
  /** Interface index (pcapng) or 0. */
  iface: number;
}

const CHUNK = 1 << 20;

/** Reads records one at a time from a pcap or pcapng file. */
export class PcapReader {
  private fd: number;
  private buf = new Uint8Array(CHUNK);
  private start = 0;
  private end = 0;
  private eof = false;
  private pos = 0; // file offset of buf[start]
  private format: 'pcap' | 'pcapng' = 'pcap';
  private le = true;
  private nanos = false;
  private tsResol: number[] = []; // per pcapng interface: ns per tick
  linktype = LINKTYPE_ETHERNET;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'r');
    } catch (e) {
      fail('io', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    this.readHeader();
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  /** The next packet, or undefined at the end of the file. */
  next(): PcapRecord | undefined {
    return this.format === 'pcap' ? this.nextPcap() : this.nextPcapng();
  }

  *[Symbol.iterator](): Generator<PcapRecord> {
    for (let r = this.next(); r; r = this.next()) yield r;
    this.close();
  }

  private bad(what: string): never {
    fail('packet', `${this.path}: ${what} at byte ${this.pos}`);
  }

  /** Ensure n bytes are buffered; false at a clean end of file with nothing buffered. */
  private need(n: number): boolean {
    if (this.end - this.start >= n) return true;
    if (n > this.buf.length) {
      const bigger = new Uint8Array(Math.max(n, this.buf.length * 2));
      bigger.set(this.buf.subarray(this.start, this.end));
      this.end -= this.start; this.start = 0; this.buf = bigger;
    } else if (this.start > 0) {
      this.buf.copyWithin(0, this.start, this.end);
      this.end -= this.start; this.start = 0;
    }
    while (!this.eof && this.end - this.start < n) {
      const got = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, null);
      if (got === 0) this.eof = true;
      this.end += got;
    }
    if (this.end - this.start >= n) return true;
    if (this.end === this.start) return false;
    return this.bad(`truncated record (${this.end - this.start} of ${n} bytes)`);
  }

  private u32(off: number, le = this.le): number {
    const b = this.buf; const i = this.start + off;
    return le ? (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0
      : ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
  }

  private u16(off: number): number {
    const b = this.buf; const i = this.start + off;
    return this.le ? b[i]! | (b[i + 1]! << 8) : (b[i]! << 8) | b[i + 1]!;
  }

  private consume(n: number): void {
    this.start += n; this.pos += n;
  }

  private readHeader(): void {
    if (!this.need(4)) this.bad('empty file; expected a pcap or pcapng header');
    const magic = this.u32(0, true);
    if (magic === 0x0a0d0d0a) { this.format = 'pcapng'; return; }
    const known: Record<number, [boolean, boolean]> = {
      0xa1b2c3d4: [true, false], 0xd4c3b2a1: [false, false], 0xa1b23c4d: [true, true], 0x4d3cb2a1: [false, true],
    };
    const k = known[magic];
    if (!k) this.bad(`unknown magic 0x${magic.toString(16)}; not a pcap or pcapng file`);
    [this.le, this.nanos] = k;
    if (!this.need(24)) this.bad('truncated pcap header');
    this.linktype = this.u32(20) & 0xffff;
    this.consume(24);
  }

  private nextPcap(): PcapRecord | undefined {
    if (!this.need(16)) return undefined;
    const sec = this.u32(0); const frac = this.u32(4); const incl = this.u32(8); const orig = this.u32(12);
    if (incl > 0x4000000) this.bad(`record of ${incl} bytes is implausible`);
    if (!this.need(16 + incl)) this.bad('truncated packet record');
    const data = this.buf.slice(this.start + 16, this.start + 16 + incl);
    this.consume(16 + incl);
    return { timeNs: sec * 1e9 + (this.nanos ? frac : frac * 1000), data, origLen: orig, iface: 0 };
  }

  private nextPcapng(): PcapRecord | undefined {
    for (;;) {
      if (!this.need(12)) return undefined;
      let type = this.u32(0);
      if (type === 0x0a0d0d0a) {
        const bom = this.u32(8, true);
        if (bom === 0x1a2b3c4d) this.le = true;
        else if (bom === 0x4d3c2b1a) this.le = false;
        else this.bad('pcapng section header has an unknown byte-order magic');
        type = this.u32(0);
        this.tsResol = [];
      }
      const len = this.u32(4);
      if (len < 12 || len % 4 !== 0) this.bad(`pcapng block of length ${len} is malformed`);
      if (!this.need(len)) this.bad('truncated pcapng block');
      let rec: PcapRecord | undefined;
      if (type === 1) {
        this.linktype = this.u16(8);
        this.tsResol.push(this.ifTsResol(len));
      } else if (type === 6) {
        const iface = this.u32(8);
        const ts = this.u32(12) * 4294967296 + this.u32(16);
        const cap = this.u32(20); const orig = this.u32(24);
        if (28 + cap > len) this.bad('enhanced packet block is shorter than its captured length');
        rec = { timeNs: ts * (this.tsResol[iface] ?? 1000), data: this.buf.slice(this.start + 28, this.start + 28 + cap), origLen: orig, iface };
      } else if (type === 3) {
        const orig = this.u32(8);
        const cap = Math.min(orig, len - 16);
        rec = { timeNs: 0, data: this.buf.slice(this.start + 12, this.start + 12 + cap), origLen: orig, iface: 0 };
      }
      this.consume(len);
      if (rec) return rec;
    }
  }

  /** if_tsresol option of an Interface Description Block: ns per timestamp tick. */
  private ifTsResol(len: number): number {
    let off = 16;
    while (off + 4 <= len - 4) {
      const code = this.u16(off); const olen = this.u16(off + 2);
      if (code === 0) break;
      if (code === 9 && olen >= 1) {
        const v = this.buf[this.start + off + 4]!;
        const exp = v & 0x7f;
        return (v & 0x80 ? Math.pow(2, -exp) : Math.pow(10, -exp)) * 1e9;
      }
      off += 4 + ((olen + 3) & ~3);
    }
    return 1000; // default resolution: microseconds
  }
}

/** Writes a classic little-endian pcap file (microsecond timestamps), buffered. */
export class PcapWriter {
  private fd: number;
  private buf = new Uint8Array(CHUNK);
  private len = 0;
  count = 0;

  constructor(readonly path: string, linktype = LINKTYPE_ETHERNET, snaplen = 262144) {
    try {
      this.fd = openSync(path, 'w');
    } catch (e) {
      fail('io', `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const h = new DataView(new ArrayBuffer(24));
    h.setUint32(0, 0xa1b2c3d4, true); h.setUint16(4, 2, true); h.setUint16(6, 4, true);
    h.setUint32(16, snaplen, true); h.setUint32(20, linktype, true);
    this.put(new Uint8Array(h.buffer));
  }

  write(data: Uint8Array, timeNs = 0, origLen = data.length): void {
    const h = new DataView(new ArrayBuffer(16));
    const sec = Math.floor(timeNs / 1e9);
    h.setUint32(0, sec, true); h.setUint32(4, Math.floor((timeNs - sec * 1e9) / 1000), true);
    h.setUint32(8, data.length, true); h.setUint32(12, origLen, true);
    this.put(new Uint8Array(h.buffer));
    this.put(data);
    this.count++;
  }

  private put(bytes: Uint8Array): void {
    if (this.len + bytes.length > this.buf.length) this.flush();
    if (bytes.length > this.buf.length) { writeSync(this.fd, bytes); return; }
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  flush(): void {
    if (this.len > 0) writeSync(this.fd, this.buf, 0, this.len);
    this.len = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
