// The DPDK model's accounting: every packet is transmitted, dropped with a reason or queued;
// overload drops at the ring that is the bottleneck, and below capacity nothing drops.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DpdkModel, type DpdkConfig } from '../../src/host/index.js';
import { Mempool } from '../../src/packet/index.js';
import { balanced, run, timings } from './util.js';

const keepAll = { run: () => 1 };

function rtc(pool: Mempool, extra: Partial<DpdkConfig> = {}, txGbps = 100): DpdkModel {
  return new DpdkModel({
    timings, pool, ports: [{}, { linkGbps: txGbps }],
    lcores: [{ role: 'rtc', rxPort: 0, txPort: 1, program: keepAll }],
    ...extra,
  });
}

test('below capacity (10 Mpps on a ~23 Mpps path): everything is transmitted, nothing dropped', () => {
  const pool = new Mempool(8192);
  const m = rtc(pool);
  const t = run(m, pool, 20000, 100);
  const c = m.counters();
  assert.is(c.offered, 20000);
  assert.is(c.transmitted, 20000);
  assert.is(c.dropped, 0);
  assert.is(c.queued, 0);
  assert.is(t.seen.tx, 20000);
  assert.ok(c.latency.avgNs > 0 && c.latency.avgNs < 5000, `latency ${c.latency.avgNs}`);
  assert.ok(c.lcores[0]!.emptyPolls > 0, 'idle time is spent polling');
});

test('above capacity (100 GbE line rate, 148.8 Mpps): drops at the RX ring only', () => {
  const pool = new Mempool(8192);
  const m = rtc(pool);
  run(m, pool, 20000, 0);
  const c = m.counters();
  assert.ok(balanced(c), JSON.stringify(c));
  assert.ok((c.drops['rx ring full'] ?? 0) > 10000, JSON.stringify(c.drops));
  assert.equal(Object.keys(c.drops), ['rx ring full']);
  assert.is(c.ports[0]!.imissed, c.drops['rx ring full']);
  // The core runs flat out at the rate its per-stage times give (program cost 0 here).
  const T = timings;
  const perPacket = T.dpdkRxPerPacket + T.dpdkRxPerBurst / 32 + T.mbufAlloc + T.bpfPerPacket + T.dpdkTxPerPacket + T.dpdkTxPerBurst / 32 + T.mbufFree;
  const L = c.lcores[0]!;
  const ns = L.busyNs / L.packets;
  assert.ok(Math.abs(ns - perPacket) / perPacket < 0.05, `lcore ${ns} ns/packet vs ${perPacket}`);
});

test('a slow TX link (10 GbE) behind a fast core drops at the TX ring', () => {
  const pool = new Mempool(8192);
  const m = rtc(pool, {}, 10);
  run(m, pool, 20000, 1000 / 18); // 18 Mpps offered: the core copes, the 14.88 Mpps link does not
  const c = m.counters();
  assert.ok(balanced(c));
  assert.ok((c.drops['tx ring full'] ?? 0) > 0, JSON.stringify(c.drops));
  assert.is(c.drops['rx ring full'], undefined);
  assert.is(c.ports[1]!.oerrors, c.drops['tx ring full']);
});

test('program return 0 drops (librte_bpf), rxonly frees the rest', () => {
  const pool = new Mempool(4096);
  const m = new DpdkModel({
    timings, pool, ports: [{}],
    lcores: [{ role: 'rtc', rxPort: 0, txPort: null, program: { run: (h) => h & 1, costNs: () => 5 } }],
  });
  run(m, pool, 1000, 200);
  const c = m.counters();
  assert.ok(balanced(c));
  assert.is((c.drops['program drop'] ?? 0) + (c.drops.rxonly ?? 0), 1000);
  assert.ok((c.drops['program drop'] ?? 0) > 0 && (c.drops.rxonly ?? 0) > 0);
});

test('pipeline mode: a slow worker overflows the rte_ring between lcores, not the RX ring', () => {
  const pool = new Mempool(8192);
  const m = new DpdkModel({
    timings, pool, ports: [{}, {}],
    rings: [{ name: 'to-worker', size: 256, sp: true, sc: true }],
    lcores: [
      { role: 'rx', rxPort: 0, ring: 'to-worker' },
      { role: 'worker', ring: 'to-worker', txPort: 1, program: { run: () => 1, costNs: () => 200 } },
    ],
  });
  run(m, pool, 20000, 100); // 10 Mpps; the worker does ~4.3 Mpps
  const c = m.counters();
  assert.ok(balanced(c), JSON.stringify(c));
  assert.ok((c.drops['worker ring full'] ?? 0) > 5000, JSON.stringify(c.drops));
  assert.is(c.drops['rx ring full'], undefined);
  assert.ok(c.transmitted > 5000);
});

test('bulk enqueue between lcores is all-or-nothing: drops come in whole bursts', () => {
  const pool = new Mempool(8192);
  const m = new DpdkModel({
    timings, pool, ports: [{}, {}],
    rings: [{ name: 'q', size: 64 }],
    lcores: [
      { role: 'rx', rxPort: 0, ring: 'q', bulk: true, burst: 16 },
      { role: 'worker', ring: 'q', txPort: 1, program: { run: () => 1, costNs: () => 300 } },
    ],
  });
  run(m, pool, 5000, 0);
  const c = m.counters();
  assert.ok(balanced(c));
  assert.ok((c.drops['worker ring full'] ?? 0) > 0);
});

test('an idle PMD core is still 100% busy polling', () => {
  const pool = new Mempool(2048);
  const m = rtc(pool);
  m.poll(1e6);
  const L = m.counters().lcores[0]!;
  assert.is(L.busyNs, 0);
  assert.ok(L.pollNs >= 1e6 && L.pollNs < 1e6 + timings.emptyPoll + 1e-6);
  assert.is(L.emptyPolls, Math.ceil(1e6 / timings.emptyPoll));
});

test('an exhausted mempool drops with "mempool empty"', () => {
  // 800 mbufs: 512 + 16 posted in the RX rings (every configured queue gets buffers); the slow
  // 1 GbE TX wire keeps the rest in its TX ring, so refills fail.
  const pool = new Mempool(800);
  const m = new DpdkModel({
    timings, pool, cacheSize: 0, ports: [{ rxDesc: 512 }, { rxDesc: 16, txDesc: 1024, linkGbps: 1 }],
    lcores: [{ role: 'rtc', rxPort: 0, txPort: 1 }],
  });
  const hs = new Int32Array(1);
  let t = 0;
  for (let i = 0; i < 3000; i++) {
    const h = pool.alloc();
    if (h < 0) break;
    pool.dataLen[h] = 64;
    hs[0] = h;
    m.offer(hs, 1, t);
    t += 50;
  }
  m.poll(t);
  const c = m.counters();
  assert.ok(balanced(c), JSON.stringify(c));
  assert.ok((c.drops['mempool empty'] ?? 0) > 0, JSON.stringify(c.drops));
  assert.ok(c.ports[0]!.rxNombuf > 0);
});

test('deterministic: the same run gives the same counters', () => {
  const once = (): string => {
    const pool = new Mempool(8192);
    const m = rtc(pool);
    run(m, pool, 5000, 30);
    return JSON.stringify(m.counters());
  };
  assert.is(once(), once());
});

test('bad configuration is a usage error', () => {
  const pool = new Mempool(64);
  assert.throws(() => new DpdkModel({ timings, pool, ports: [{}], lcores: [{ role: 'rtc', rxPort: 3 }] }), /rxPort 3 does not exist/);
  assert.throws(() => new DpdkModel({ timings, pool, ports: [{}], lcores: [{ role: 'worker', ring: 'nope' }] }), /needs an existing ring/);
  assert.throws(() => new DpdkModel({ timings, pool, ports: [{ rxDesc: 1000 }], lcores: [] }), /power of two/);
});

test.run();
