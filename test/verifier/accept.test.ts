// Safe programs are accepted, with the kernel's instruction count where bpftool works.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { check, kernelSkip, kernelVerdict } from './helpers.js';

const cases: { name: string; src: string }[] = [
  { name: 'bounds-checked packet read', src: 'r0 = 7\nr2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\nr4 = r2\nr4 += 14\nif r4 < r3 goto +1\nexit\nr0 = *(u8 *)(r2 + 13)\nr0 = 7\nexit' },
  { name: 'check with data_end on the left', src: 'r2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\nr4 = r2\nr4 += 20\nr0 = 1\nif r3 < r4 goto +1\nr0 = *(u32 *)(r2 + 16)\nexit' },
  { name: 'lookup with a null check', src: 'r1 = 0\n*(u32 *)(r10 - 4) = r1\nr2 = r10\nr2 += -4\nr1 = map[1] ll\ncall 1\nr1 = r0\nif r0 == 0 goto +2\nr0 = *(u64 *)(r1 + 0)\nr0 &= 3\nexit' },
  { name: 'array lookup with a constant key needs no null check', src: 'r1 = 0\n*(u32 *)(r10 - 4) = r1\nr2 = r10\nr2 += -4\nr1 = map[0] ll\ncall 1\nr0 = *(u64 *)(r0 + 0)\nexit' },
  { name: 'bounded loop', src: 'r0 = 0\nr1 = 0\nl: r1 += 1\nif r1 < 100 goto l\nexit' },
  { name: 'bounded variable offset into a map value', src: 'call 7\n*(u32 *)(r10 - 4) = r0\nr2 = r10\nr2 += -4\nr1 = map[1] ll\ncall 1\nif r0 == 0 goto +5\nr6 = r0\ncall 7\nr0 &= 7\nr6 += r0\nr0 = *(u8 *)(r6 + 0)\nr0 = 0\nexit' },
  { name: 'JMP32 bound on an index into the packet', src: 'r6 = r1\ncall 7\nr2 = *(u32 *)(r6 + 0)\nr3 = *(u32 *)(r6 + 4)\nr4 = r2\nw0 &= 0xff\nif w0 > 20 goto +5\nr4 += r0\nr5 = r4\nr5 += 2\nif r5 > r3 goto +1\nr0 = *(u16 *)(r4 + 0)\nr0 = 1\nexit' },
  { name: 'ring buffer reserve and submit', src: 'r1 = map[2] ll\nr2 = 16\nr3 = 0\ncall 131\nif r0 == 0 goto +3\nr1 = r0\nr2 = 0\ncall 132\nr0 = 0\nexit' },
  { name: 'redirect through a devmap', src: 'r1 = map[3] ll\nr2 = 0\nr3 = 0\ncall 51\nexit' },
  { name: 'BPF-to-BPF call', src: 'r6 = r1\ncall 8\nr1 = 1\ncall +2\nr0 = 0\nexit\nr0 = r1\nr0 += 1\nexit' },
  { name: 'stack spill and fill keeps the pointer type', src: 'r2 = *(u32 *)(r1 + 0)\n*(u64 *)(r10 - 8) = r2\nr3 = *(u32 *)(r1 + 4)\nr2 = *(u64 *)(r10 - 8)\nr4 = r2\nr4 += 1\nr0 = 0\nif r4 > r3 goto +1\nr0 = *(u8 *)(r2 + 0)\nexit' },
];

for (const c of cases) {
  test(`accepts: ${c.name}`, () => {
    const r = check(c.src);
    assert.is(r.ok, true, r.errors[0] ? `${r.errors[0].headline} / ${r.errors[0].kernelMessage}` : '');
  });
  (kernelSkip ? test.skip : test)(`kernel agrees: ${c.name}`, () => {
    const k = kernelVerdict(c.src);
    assert.is(k.ok, true, k.last);
    assert.is(check(c.src).processedInsns, k.processed, 'processed instructions');
  });
}

test('the log follows the kernel format', () => {
  const r = check('r0 = 7\nr2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\nr4 = r2\nr4 += 14\nif r4 > r3 goto +1\nr0 = *(u8 *)(r2 + 13)\nexit', { log: true });
  const log = r.log!.join('\n');
  assert.ok(log.includes('4: (07) r4 += 14'), log);
  assert.ok(log.includes('R4=pkt(off=14,r=0)'), log);
  assert.ok(log.includes('R2=pkt(r=14)'), log);
  assert.ok(/processed \d+ insns \(limit 1000000\)/.test(log), log);
});

test('scalar bounds are printed like the kernel', () => {
  const r = check('r2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\nr4 = r2\nr4 += 1\nr0 = 0\nif r4 > r3 goto +1\nr0 = *(u8 *)(r2 + 0)\nexit', { log: true });
  assert.ok(r.log!.some((l) => l.includes('R0=scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff))')), r.log!.join('\n'));
});

test('malformed input never crashes: every single-instruction program gets a verdict', () => {
  for (const src of ['exit', 'r0 = 0', 'goto -1', 'if r1 > r2 goto -1\nexit', 'call -1\nexit', 'r0 = *(u64 *)(r11 + 0)\nexit']) {
    let r;
    try { r = check(src); } catch (e) { if ((e as Error).name === 'XdplabError') continue; throw e; }
    assert.type(r.ok, 'boolean');
  }
});

test.run();
