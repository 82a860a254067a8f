// Property test: the bundled programs, verified, on random packets through both tiers: the
// compiled tier without the checks the verifier proved (and with its speculations) against the
// reference interpreter, on retval, output packet, redirect, trace output, maps and counters.
// Each program keeps one runtime per tier for all its packets, so map state carries over as in
// the kernel, and a slot whose speculation keeps failing gets recompiled along the way.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadObject } from '../../src/elf/index.js';
import { parseSetup } from '../../src/maps/index.js';
import { loadRuntime, type Runtime } from '../../src/vm/runtime/index.js';
import { verifiedSlots } from '../../src/verifier/index.js';
import { GROUPS } from './diff-cases.js';
import { eth, icmpEcho, ipv4, ipv6, pad, raw, tcp, udp } from './packets.js';
import { repoRoot } from '../conformance-data.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const addr = fc.tuple(fc.constantFrom(10, 192, 8), fc.nat(255), fc.nat(255), fc.nat(255)).map((a) => a.join('.'));
const port = fc.oneof(fc.constantFrom(53, 80, 443, 9999, 12345), fc.nat(0xffff));
const bytes = (max: number) => fc.uint8Array({ minLength: 0, maxLength: max });

/** Frames the parsers care about, with random fields, sizes and now and then garbage. */
const frame: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.tuple(addr, addr, port, port, bytes(64), fc.nat(1500)).map(([s, d, sp, dp, data, len]) => pad(eth(0x0800, ipv4(s, d, udp(sp, dp, data))), Math.max(len, 42))),
  fc.tuple(addr, addr, port, port, fc.nat(0x3f)).map(([s, d, sp, dp, flags]) => eth(0x0800, ipv4(s, d, tcp(sp, dp, flags)))),
  fc.tuple(addr, addr, fc.constantFrom(0, 8), bytes(32)).map(([s, d, type, data]) => eth(0x0800, ipv4(s, d, icmpEcho(type, data)))),
  fc.tuple(fc.nat(0xffffffff), fc.nat(0xffffffff), port, port).map(([s, d, sp, dp]) => eth(0x86dd, ipv6(s, d, udp(sp, dp)))),
  fc.tuple(addr, addr, fc.nat(255), bytes(40), fc.array(fc.nat(4094), { maxLength: 2 })).map(([s, d, proto, data, vlans]) => eth(0x0800, ipv4(s, d, raw(proto, data)), vlans)),
  fc.uint8Array({ minLength: 14, maxLength: 200 }),
);

/** What a run shows: everything a user can observe of it. */
function observe(rt: Runtime, data: Uint8Array): unknown {
  try {
    const r = rt.testRun(data);
    return { retval: r.retval, out: hex(r.dataOut), redirect: r.redirect, trace: r.trace, insns: r.insns, tail: r.tailCalls, maps: rt.dumpMapsJson(), counters: rt.counters.snapshot(rt.memory) };
  } catch (e) {
    return { fault: (e as Error).message };
  }
}

test('verified bundled programs on random packets: both tiers show the same', () => {
  const seen = new Set<string>();
  for (const g of GROUPS) {
    const key = `${g.obj} ${g.prog}`;
    if (seen.has(key)) continue; // one property per program; the setups are the kernel test's
    seen.add(key);
    const file = join(repoRoot, 'programs', g.obj);
    const obj = loadObject(new Uint8Array(readFileSync(file)), file);
    const provenSafe = verifiedSlots(obj, g.prog);
    const setup = g.setup ? parseSetup(g.setup.join('\n'), 'setup') : undefined;
    const fast = loadRuntime(obj, { prog: g.prog, cpus: 1, setup, tier: 'compiled', provenSafe });
    const ref = loadRuntime(obj, { prog: g.prog, cpus: 1, setup, tier: 'interp' });
    fc.assert(fc.property(frame, (data) => {
      assert.equal(observe(fast, data), observe(ref, data), `${key} on ${hex(data)}`);
    }), { numRuns: 30, seed: 7 });
  }
  assert.ok(seen.size >= 15, `only ${seen.size} programs`);
});

test.run();
