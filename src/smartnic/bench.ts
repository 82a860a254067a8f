// `xdplab bench --smartnic` (wired by the CLI): FIB build, lookup and update rates at 1M IPv4
// prefixes, and flow-table lookups at 1M flows. Wall-clock figures; never asserted in tests.
import { Fib, type V4Layout } from './fib/fib.js';
import { FlowTable, KW } from './flow/flow-table.js';

export interface SmartnicBench {
  fibPrefixes: number;
  fibBuildSeconds: number;
  fibLayout: V4Layout;
  fibLookupsPerSecond: number;
  /** Lookups per second through the burst form (32 addresses at a time). */
  fibBurstLookupsPerSecond: number;
  fibUpdatesPerSecond: number;
  fibMemoryBytes: number;
  flows: number;
  flowLookupsPerSecond: number;
  /** The same through lookupBurst4, 32 at a time. */
  flowBurstLookupsPerSecond: number;
}

/** A deterministic xorshift generator so runs are comparable. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return x >>> 0; };
}

/** BGP-like length mix: mostly /24, /16-/23, some /25-/32, a few short prefixes. */
function prefixLen(r: number): number {
  const p = r % 100;
  if (p < 1) return 8 + (r >>> 8) % 8;
  if (p < 31) return 16 + (r >>> 8) % 8;
  if (p < 91) return 24;
  return 25 + (r >>> 8) % 8;
}

const now = (): number => performance.now();

export function benchSmartnic(opts: { prefixes?: number; flows?: number; lookups?: number; layout?: V4Layout } = {}): SmartnicBench {
  const n = opts.prefixes ?? 1_000_000;
  const lookups = opts.lookups ?? 20_000_000;
  const next = rng(0x5eed);
  const pfx = new Uint32Array(n), lens = new Uint8Array(n);
  const seen = new Set<number>();
  for (let i = 0; i < n;) {
    const len = prefixLen(next());
    const p = (next() & (~0 << (32 - len))) >>> 0;
    if (seen.has(p * 64 + len)) continue; // distinct prefixes, so the FIB ends up with exactly n
    seen.add(p * 64 + len);
    lens[i] = len; pfx[i++] = p;
  }
  seen.clear();
  const layout = opts.layout ?? '16-8-8';
  const fib = new Fib({ v4Layout: layout });
  let t0 = now();
  for (let i = 0; i < n; i++) fib.add4(0, pfx[i]!, lens[i]!, 1 + (i & 0xffff), i & 0xfffff);
  const build = (now() - t0) / 1000;

  const addrs = new Uint32Array(1 << 20);
  for (let i = 0; i < addrs.length; i++) addrs[i] = i & 1 ? pfx[i % n]! | (next() & 0xff) : next();
  let sink = 0;
  t0 = now();
  for (let i = 0; i < lookups; i++) sink += fib.leaf4(0, addrs[i & 0xfffff]!);
  const lookupRate = lookups / ((now() - t0) / 1000);
  const out = new Int32Array(32);
  t0 = now();
  for (let i = 0; i < lookups; i += 32) {
    fib.leaf4Burst(0, addrs.subarray(i & 0xfffff, (i & 0xfffff) + 32), 32, out);
    sink += out[0]!;
  }
  const burstRate = lookups / ((now() - t0) / 1000);

  // Updates: withdraw and re-announce existing routes, and add/remove host routes.
  const updates = 400_000;
  t0 = now();
  for (let i = 0; i < updates; i += 4) {
    const j = (i * 7919) % n;
    fib.delete4(0, pfx[j]!, lens[j]!);
    fib.add4(0, pfx[j]!, lens[j]!, 7, 100);
    const host = next();
    fib.add4(0, host, 32, 9, 200);
    fib.delete4(0, host, 32);
  }
  const updateRate = updates / ((now() - t0) / 1000);

  const nf = opts.flows ?? 1_000_000;
  const ft = new FlowTable(nf);
  const key = new Int32Array(KW);
  const sip = new Uint32Array(nf), dip = new Uint32Array(nf), ports = new Int32Array(nf);
  for (let i = 0; i < nf; i++) {
    sip[i] = next(); dip[i] = next(); ports[i] = next() & 0x7fffffff;
    ft.put(i, FlowTable.key4(key, 1, 13, 6, sip[i]!, dip[i]!, ports[i]! >>> 16, ports[i]! & 0xffff), 2);
  }
  const flowLookups = 10_000_000;
  // The queries arrive as packets do: a stream of headers read in order (a received packet's
  // header is in cache), for flows in random order, so each lookup pays for the table alone.
  const Q = 1 << 20;
  const query = new Int32Array(Q * 3);
  for (let i = 0; i < Q; i++) {
    const j = next() % nf;
    query[i * 3] = sip[j]!; query[i * 3 + 1] = dip[j]!; query[i * 3 + 2] = ports[j]!;
  }
  t0 = now();
  for (let i = 0; i < flowLookups; i++) {
    const o = (i & (Q - 1)) * 3;
    const p = query[o + 2]!;
    sink += ft.lookup4(1, 13, 6, query[o]!, query[o + 1]!, p >>> 16, p & 0xffff);
  }
  const flowRate = flowLookups / ((now() - t0) / 1000);
  // The same queries 32 at a time through the burst form (rows of sip, dip, ports, proto).
  const bq = new Int32Array(32 * 4), bout = new Int32Array(32);
  t0 = now();
  for (let i = 0; i < flowLookups; i += 32) {
    for (let k = 0; k < 32; k++) {
      const o = ((i + k) & (Q - 1)) * 3;
      bq[k * 4] = query[o]!; bq[k * 4 + 1] = query[o + 1]!; bq[k * 4 + 2] = query[o + 2]!; bq[k * 4 + 3] = 6;
    }
    ft.lookupBurst4(1, 13, bq, 32, bout);
    sink += bout[31]!;
  }
  const flowBurstRate = flowLookups / ((now() - t0) / 1000);
  if (sink === 0.5) console.log(sink); // keep the loops observable
  return {
    fibPrefixes: fib.size, fibBuildSeconds: build, fibLayout: layout, fibLookupsPerSecond: lookupRate, fibBurstLookupsPerSecond: burstRate, fibUpdatesPerSecond: updateRate,
    fibMemoryBytes: fib.memoryBytes, flows: ft.count, flowLookupsPerSecond: flowRate, flowBurstLookupsPerSecond: flowBurstRate,
  };
}
