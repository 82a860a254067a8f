// Unsafe programs: each is rejected with our headline and the kernel's own message; where
// bpftool works, the kernel on this machine must reject it with the same message.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cases } from './corpus.js';
import { check, kernelSkip, kernelVerdict, lastLine, strictSkip } from './helpers.js';

const strict = { caps: 'bpf_net_admin' } as const;

for (const c of cases) {
  test(`rejects: ${c.name}`, () => {
    const r = check(c.src, c.caps ? strict : {});
    assert.is(r.ok, false, 'should be rejected');
    const e = r.errors[0]!;
    assert.ok(e.headline.includes(c.headline), `headline: ${e.headline}`);
    assert.is(lastLine(e.kernelMessage), c.kernel);
    if (c.pc !== undefined) assert.is(e.pc, c.pc);
  });
  test(`strict mode (CAP_BPF + CAP_NET_ADMIN) rejects: ${c.name}`, () => {
    const e = check(c.src, strict).errors[0];
    assert.ok(e, 'should be rejected');
    assert.ok(e.headline.includes(c.strictHeadline ?? c.headline), `headline: ${e.headline}`);
    assert.is(lastLine(e.kernelMessage), c.strictKernel ?? c.kernel);
  });
  if (c.caps) test(`root accepts: ${c.name}`, () => { assert.is(check(c.src).ok, true); });
}

// The same programs through the kernel in both privilege modes (the unbounded loop costs the
// kernel a second per mode: its count is the limit, nothing to compare).
const kernelCases = cases.filter((c) => c.name !== 'unbounded loop');
for (const c of kernelCases) {
  (kernelSkip ? test.skip : test)(`kernel agrees (root): ${c.name}`, () => {
    const k = kernelVerdict(c.src);
    const r = check(c.src);
    assert.is(k.ok, r.ok, `kernel: ${k.last}`);
    if (!k.ok) assert.is(k.last, lastLine(r.errors[0]!.kernelMessage));
    assert.is(r.processedInsns, k.processed ?? 0, 'processed instructions');
  });
  (strictSkip ? test.skip : test)(`kernel agrees (strict): ${c.name}`, () => {
    const k = kernelVerdict(c.src, 'bpf_net_admin');
    assert.is(k.ok, false, 'the kernel should reject it');
    assert.is(k.last, c.strictKernel ?? c.kernel);
    assert.is(check(c.src, strict).processedInsns, k.processed ?? 0, 'processed instructions');
  });
}
if (kernelSkip) console.log(`verifier: kernel comparison skipped: ${kernelSkip}`);
else if (strictSkip) console.log(`verifier: strict-mode kernel comparison skipped: ${strictSkip}`);

test('root may read uninitialised stack; strict mode may not', () => {
  assert.is(check('r0 = *(u64 *)(r10 - 8)\nr0 = 0\nexit').ok, true);
  assert.is(check('r0 = *(u64 *)(r10 - 8)\nr0 = 0\nexit', { caps: 'bpf_net_admin' }).ok, false);
});

test('an error carries the register state and the path of branch decisions', () => {
  const r = check('r2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\nr4 = r2\nr4 += 14\nif r4 > r3 goto +2\nr0 = *(u16 *)(r2 + 13)\nexit\nr0 = 1\nexit');
  const e = r.errors[0]!;
  assert.equal(e.path, [{ pc: 4, taken: false }]);
  assert.ok(e.registers.includes('R2=pkt(r=14)'), e.registers.join(' '));
  assert.ok(e.registers.includes('R3=pkt_end()'));
  assert.is(e.counterexample, 'a 14-byte packet passes every check on this path, but this read needs 15 bytes');
});

test.run();
