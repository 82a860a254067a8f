// The kernel model's accounting: interrupts and NAPI, XDP native and generic verdicts, the
// stack's drop/forward/local decisions, and the socket receive queue with its receiver.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KernelModel, type KernelConfig } from '../../src/host/index.js';
import { Mempool } from '../../src/packet/index.js';
import { balanced, run, timings } from './util.js';

const model = (pool: Mempool, extra: Partial<KernelConfig> = {}): KernelModel => new KernelModel({ timings, pool, ...extra });

test('low rate local delivery: every packet delivered, one interrupt and one wake-up each', () => {
  const pool = new Mempool(4096);
  const m = model(pool);
  const t = run(m, pool, 1000, 20000, { burst: 1 }); // 50 kpps
  const c = m.counters();
  assert.is(c.delivered, 1000);
  assert.is(t.seen.deliver, 1000);
  assert.is(c.dropped, 0);
  assert.is(c.cpu.irqs, 1000, 'interrupt per packet at low rate');
  assert.is(c.receiver.wakeups, 1000, 'the receiver sleeps between packets');
  // Latency includes the coalescing delay and the wake-up.
  assert.ok(c.latency.avgNs > timings.irqCoalesce + timings.contextSwitch, `latency ${c.latency.avgNs}`);
});

test('interrupts are amortised as the load rises', () => {
  const pool = new Mempool(8192);
  const m = model(pool, { stack: () => 'drop' });
  run(m, pool, 20000, 500); // 2 Mpps, below the ~4.8 Mpps raw-drop path
  const c = m.counters();
  assert.is(c.drops['netfilter drop'], 20000);
  assert.ok(c.cpu.irqs < 20000 / 4, `irqs ${c.cpu.irqs}`);
  assert.ok(c.cpu.busyNs < c.cpu.clockNs, 'the CPU is not saturated');
});

test('overload of the softirq CPU drops at the RX ring; NAPI runs out of budget', () => {
  const pool = new Mempool(8192);
  const m = model(pool, { stack: () => 'drop' });
  run(m, pool, 30000, 1000 / 10); // 10 Mpps against ~4.8 Mpps
  const c = m.counters();
  assert.ok(balanced(c), JSON.stringify(c));
  assert.ok((c.drops['rx ring full'] ?? 0) > 10000, JSON.stringify(c.drops));
  assert.ok(c.cpu.squeezed > 0, 'netdev_budget exhausted');
  const rate = (c.drops['netfilter drop'] ?? 0) / (c.cpu.busyNs / 1000);
  assert.ok(rate > 4.3 && rate < 5.3, `softirq rate ${rate} Mpps`);
});

test('a slow receiver overflows the socket, not the RX ring', () => {
  const pool = new Mempool(8192);
  const m = new KernelModel({ timings: { ...timings, recvPerPacket: 1000 }, pool, socket: { rcvbufBytes: 65536 } });
  run(m, pool, 20000, 1000 / 2); // 2 Mpps; the stack copes, the receiver does < 1 Mpps
  const c = m.counters();
  assert.ok(balanced(c), JSON.stringify(c));
  assert.ok((c.drops['socket rcvbuf full'] ?? 0) > 5000, JSON.stringify(c.drops));
  assert.is(c.drops['rx ring full'], undefined);
  assert.ok(c.delivered > 5000);
});

test('recvmmsg batches make fewer system calls than recvmsg', () => {
  const calls = (batch: number): number => {
    const pool = new Mempool(8192);
    const m = model(pool, { socket: { batch } });
    run(m, pool, 10000, 400);
    const c = m.counters();
    assert.is(c.delivered, 10000);
    return c.receiver.syscalls;
  };
  assert.ok(calls(32) < calls(1) / 2);
});

test('XDP native: drop before any skb, TX back out of the port, redirect handed to the caller', () => {
  const pool = new Mempool(8192);
  const m = model(pool, { native: { run: (h) => [1, 3, 4, 0, 2][h % 5]!, costNs: () => 1 } });
  const t = run(m, pool, 5000, 200);
  const c = m.counters();
  assert.ok(balanced(c), JSON.stringify(c));
  assert.is(c.queued, 0);
  assert.is(c.offered, 5000);
  assert.ok(c.drops['xdp drop']! > 0 && c.drops['xdp aborted']! > 0);
  assert.ok(c.transmitted > 0 && c.redirected > 0 && c.delivered > 0);
  assert.is(t.seen.redirect, c.redirected);
  assert.is(c.transmitted + c.redirected + c.delivered + c.dropped, 5000);
});

test('XDP native drop sustains far more than the stack: no drops at 20 Mpps', () => {
  const pool = new Mempool(8192);
  const m = model(pool, { native: { run: () => 1 } });
  run(m, pool, 30000, 50);
  const c = m.counters();
  assert.is(c.drops['xdp drop'], 30000);
  assert.is(c.drops['rx ring full'], undefined);
});

test('XDP generic runs after the skb: drop there costs more CPU than native', () => {
  const busy = (cfg: Partial<KernelConfig>): number => {
    const pool = new Mempool(8192);
    const m = model(pool, cfg);
    run(m, pool, 2000, 1000);
    const c = m.counters();
    assert.is(c.drops['xdp drop'], 2000);
    return c.cpu.busyNs;
  };
  assert.ok(busy({ generic: { run: () => 1 } }) > busy({ native: { run: () => 1 } }) + 2000 * timings.skbAlloc);
});

test('routing forwards out of the other port; conntrack adds its cost', () => {
  const go = (conntrack: boolean): { busy: number; tx: number[] } => {
    const pool = new Mempool(8192);
    const m = model(pool, { ports: [{}, {}], forwardPort: 1, stack: () => 'forward', conntrack });
    run(m, pool, 1000, 2000);
    const c = m.counters();
    assert.ok(balanced(c));
    return { busy: c.cpu.busyNs, tx: c.ports.map((p) => p.opackets) };
  };
  const plain = go(false);
  assert.equal(plain.tx, [0, 1000]);
  const ct = go(true);
  assert.ok(Math.abs(ct.busy - plain.busy - 1000 * timings.conntrack) < 1e-3);
});

test('deterministic', () => {
  const once = (): string => {
    const pool = new Mempool(8192);
    const m = model(pool, { native: { run: (h) => (h % 3 === 0 ? 1 : 2) } });
    run(m, pool, 5000, 150);
    return JSON.stringify(m.counters());
  };
  assert.is(once(), once());
});

test.run();
