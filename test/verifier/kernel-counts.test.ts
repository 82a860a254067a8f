// The kernel's own bookkeeping as the oracle: every bundled program, the real-world
// objects (frozen .rodata under two configurations, global functions, bpf_loop callbacks)
// and a program that makes the kernel process ~350,000 instructions are verified after
// exactly as many processed instructions as the kernel reports (precision tracking, stack
// liveness, checkpoint heuristics). Where bpftool cannot load programs the kernel
// comparisons skip; xdplab's own verdicts are still checked.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadObject, readElf, type GlobalSetting } from '../../src/elf/index.js';
import { inputFromProgram, verify, type VerifyResult } from '../../src/verifier/index.js';
import { repoRoot } from '../conformance-data.js';
import { kernelCounts, kernelLoad, kernelSkip, lastLine } from './helpers.js';

const ktest = kernelSkip ? test.skip : test;
if (kernelSkip) console.log(`kernel count comparisons skipped: ${kernelSkip}`);
const fixtures = join(repoRoot, 'test', 'fixtures', 'verifier');
const tmp = mkdtempSync(join(tmpdir(), 'xdplab-counts-'));

function verifyAll(bytes: Uint8Array, file: string, globals: GlobalSetting[] = [], log = false): Map<string, VerifyResult> {
  const obj = loadObject(bytes, file, { globals });
  return new Map(obj.programs.map((p) => [p.name, verify(inputFromProgram(obj, p), { log })]));
}
const fixture = (name: string, log = false): VerifyResult => [...verifyAll(new Uint8Array(readFileSync(join(fixtures, name))), name, [], log).values()][0]!;

// Objects the kernel cannot load as they are (a loader must size or convert their maps first,
// or the program must be bound to a device).
const KERNEL_CANNOT = new Set(['legacy_maps.o', 'unsized_map.o', 'kfuncs_meta.o']);
const bundled = ['xdp', 'xdp3', 'bench', 'realworld'].flatMap((d) =>
  readdirSync(join(repoRoot, 'programs', d)).filter((f) => f.endsWith('.o')).sort().map((f) => join('programs', d, f)));

for (const rel of bundled) {
  const file = rel.split('/').pop()!;
  if (KERNEL_CANNOT.has(file)) continue;
  ktest(`${rel}: every program's processed count equals the kernel's`, () => {
    const k = kernelCounts(join(repoRoot, rel));
    assert.ok(k && k.size > 0, `the kernel did not load ${rel}`);
    const ours = verifyAll(new Uint8Array(readFileSync(join(repoRoot, rel))), file);
    for (const [name, n] of k!) {
      const r = ours.get(name)!;
      assert.is(r.ok, true, `${name}: ${r.errors[0]?.kernelMessage}`);
      assert.is(r.processedInsns, n, `${name}: processed instructions`);
    }
  });
}

/** rodata_filter.o with settings written into its .rodata image (what a skeleton does before load). */
function configured(globals: GlobalSetting[]): { path: string; bytes: Uint8Array } {
  const file = join(repoRoot, 'programs', 'realworld', 'rodata_filter.o');
  const bytes = new Uint8Array(readFileSync(file));
  const obj = loadObject(bytes, 'rodata_filter.o', { globals });
  const elf = readElf(bytes, 'rodata_filter.o');
  const out = bytes.slice();
  for (const m of obj.maps) {
    const sec = m.initialData && elf.sectionByName(m.name);
    if (sec && sec.type === 1) out.set(m.initialData!, sec.offset);
  }
  const path = join(tmp, `rodata_${globals.map((g) => g.name).join('_') || 'default'}.o`);
  writeFileSync(path, out);
  return { path, bytes: out };
}

const SETTINGS: GlobalSetting[][] = [
  [],
  [{ name: 'blocked_port', value: '53' }, { name: 'min_ttl', value: '2' }],
  [{ name: 'blocked_mac', value: '02:00:00:00:00:09' }, { name: 'blocked_net', value: '0x0a090000' }, { name: 'blocked_prefix', value: '16' }],
];

test('frozen .rodata reads as constants: each configuration verifies only its live branches', () => {
  const counts = SETTINGS.map((g) => verifyAll(new Uint8Array(readFileSync(join(repoRoot, 'programs/realworld/rodata_filter.o'))), 'rodata_filter.o', g).get('rodata_filter')!);
  for (const r of counts) assert.is(r.ok, true);
  // Off by default: the port and prefix checks are dead code; each setting brings its part back.
  assert.ok(counts[1]!.processedInsns > counts[0]!.processedInsns, `${counts[1]!.processedInsns} > ${counts[0]!.processedInsns}`);
  assert.ok(counts[2]!.processedInsns > counts[0]!.processedInsns, `${counts[2]!.processedInsns} > ${counts[0]!.processedInsns}`);
  assert.is.not(counts[1]!.processedInsns, counts[2]!.processedInsns);
});

for (const g of SETTINGS.slice(1)) {
  ktest(`rodata_filter.o (${g.map((x) => `${x.name}=${x.value}`).join(', ')}): processed count equals the kernel's for the patched object`, () => {
    const { path } = configured(g);
    const k = kernelCounts(path);
    const ours = verifyAll(new Uint8Array(readFileSync(join(repoRoot, 'programs/realworld/rodata_filter.o'))), 'rodata_filter.o', g).get('rodata_filter')!;
    assert.is(ours.processedInsns, k?.get('rodata_filter'));
  });
}

test('multi_prog.o: the global function is assumed valid at calls and verified once, on its own', () => {
  const r = verifyAll(new Uint8Array(readFileSync(join(repoRoot, 'programs/realworld/multi_prog.o'))), 'multi_prog.o', [], true).get('xdp_classify')!;
  assert.is(r.ok, true);
  const log = r.log!.join('\n');
  assert.match(log, /Func#\d \('l4_proto'\) is global and assumed valid\./);
  assert.is(log.split(/Validating l4_proto\(\) func#\d\.\.\./).length, 2, 'verified exactly once');
  assert.match(log, /Func#\d \('l4_proto'\) is safe for any args that match its prototype/);
});

test('global functions: arguments of the prototype; a NULL-able pointer argument must be checked', () => {
  assert.is(fixture('global_ok.o').ok, true);
  const r = fixture('global_null.o');
  assert.is(r.ok, false);
  assert.is(r.errors[0]!.kernelMessage, "R1 invalid mem access 'mem_or_null'");
  assert.is(r.errors[0]!.source?.line, 9);
  assert.ok(r.errors[0]!.headline.includes("global function's pointer argument"), r.errors[0]!.headline);
  const a = fixture('global_args.o');
  assert.is(a.ok, false);
  assert.is(lastLine(a.errors[0]!.kernelMessage), "Caller passes invalid args into func#1 ('is_ipv4')");
  assert.ok(a.errors[0]!.kernelMessage.includes('R1 offset is outside of the packet'), a.errors[0]!.kernelMessage);
});

test('bpf_loop callbacks run until their states converge: a buffer index growing per iteration', () => {
  const ok = fixture('loop_fill.o');
  assert.is(ok.ok, true);
  // The callback is verified for every iteration, so its accesses are proven too.
  const obj = loadObject(new Uint8Array(readFileSync(join(fixtures, 'loop_fill.o'))), 'loop_fill.o');
  const cb = obj.programs[0]!.funcRefs![0]!.target;
  assert.ok([...ok.provenSafe].some((s) => s >= cb), 'callback slots are proven safe');
  const bad = fixture('loop_overflow.o');
  assert.is(bad.ok, false);
  assert.is(bad.errors[0]!.kernelMessage, 'invalid write to stack R5 off=0 size=1');
  assert.is(bad.errors[0]!.source?.line, 8);
});

test('too many branches waiting at once: rejected as the kernel does', () => {
  const r = fixture('too_many_branches.o');
  assert.is(r.ok, false);
  assert.is(r.errors[0]!.kernelMessage, 'The sequence of 8193 jumps is too complex.');
});

test('scale.o: a program of ~350,000 processed instructions is accepted', () => {
  const t = performance.now();
  const r = fixture('scale.o');
  console.log(`scale.o: ${r.processedInsns} instructions processed in ${Math.round(performance.now() - t)} ms`);
  assert.is(r.ok, true, r.errors[0]?.kernelMessage);
  assert.ok(r.processedInsns > 200_000 && r.processedInsns < 500_000, `${r.processedInsns}`);
});

for (const name of ['global_ok.o', 'global_null.o', 'global_args.o', 'loop_fill.o', 'loop_overflow.o', 'too_many_branches.o', 'scale.o']) {
  ktest(`${name}: the kernel's verdict, last message and processed count`, () => {
    const k = kernelLoad(join(fixtures, name));
    const r = fixture(name);
    assert.is(r.ok, k.ok, k.last);
    if (!k.ok) assert.is(lastLine(r.errors[0]!.kernelMessage), k.last);
    assert.is(r.processedInsns, k.processed);
  });
}

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
