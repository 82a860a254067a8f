// Differential tests against the running kernel: the same updates and deletes go to a real
// map through bpftool and to xdplab's map; errno outcomes and final dumps must agree.
// Skipped, with the reason printed, where bpftool, root or /sys/fs/bpf is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BPF_EXIST, BPF_NOEXIST, dumpJson, errnoName, formatDump, type BpfMap, type QueueStackMap } from '../../src/maps/index.js';
import { make, MAP_FLAG, MAP_TYPE } from './helpers.js';

const PIN_DIR = '/sys/fs/bpf';
let pinSeq = 0;

function bpftool(args: string[]): { rc: number; out: string; err: string } {
  const r = spawnSync('bpftool', args, { encoding: 'utf8' });
  return { rc: r.status ?? -1, out: r.stdout ?? '', err: r.stderr ?? (r.error ? String(r.error) : '') };
}

/** Possible CPUs as bpftool counts them for per-CPU values. */
function possibleCpus(): number {
  const text = readFileSync('/sys/devices/system/cpu/possible', 'utf8').trim();
  return text.split(',').reduce((n, part) => {
    const [a, b] = part.split('-').map(Number);
    return n + (b === undefined ? 1 : b - a + 1);
  }, 0);
}

function why(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  const v = spawnSync('bpftool', ['version'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) return 'bpftool is not installed';
  if (!existsSync(PIN_DIR)) return `${PIN_DIR} is not mounted`;
  const probe = `${PIN_DIR}/xdplab_probe_${process.pid}`;
  const r = bpftool(['map', 'create', probe, 'type', 'array', 'key', '4', 'value', '4', 'entries', '1', 'name', 'xdplab_probe']);
  rmSync(probe, { force: true });
  if (r.rc !== 0) return `cannot create kernel maps here (${r.err.trim() || `exit ${r.rc}`})`;
  return undefined;
}
const SKIP = why();
if (SKIP) console.log(`kernel map tests skipped: ${SKIP}`);
const ktest = SKIP ? test.skip : test;
const CPUS = SKIP ? 1 : possibleCpus();

const hex = (b: Uint8Array): string[] => ['hex', ...Array.from(b, (x) => x.toString(16).padStart(2, '0'))];
// bpftool can only pass these three; bad flags are covered by the unit tests.
const FLAG_WORD: Record<number, string[]> = { 0: [], [BPF_NOEXIST]: ['noexist'], [BPF_EXIST]: ['exist'] };

/** A kernel map pinned under /sys/fs/bpf, removed by close(). */
class KernelMap {
  readonly pin = `${PIN_DIR}/xdplab_maps_${process.pid}_${pinSeq++}`;
  constructor(type: string, key: number, value: number, entries: number, flags = 0) {
    const r = bpftool(['map', 'create', this.pin, 'type', type, 'key', String(key), 'value', String(value),
      'entries', String(entries), 'name', 'xdplab_t', ...(flags ? ['flags', String(flags)] : [])]);
    if (r.rc !== 0) throw new Error(`bpftool map create failed: ${r.err}`);
  }
  /** 0 or -errno, from bpftool's exit status (it exits with the negative errno). */
  private run(args: string[]): number { const r = bpftool(args); return r.rc === 0 ? 0 : r.rc - 256; }
  update(key: Uint8Array | undefined, value: Uint8Array, flags: number): number {
    return this.run(['map', 'update', 'pinned', this.pin, ...(key ? ['key', ...hex(key)] : []), 'value', ...hex(value), ...FLAG_WORD[flags]]);
  }
  delete(key: Uint8Array): number { return this.run(['map', 'delete', 'pinned', this.pin, 'key', ...hex(key)]); }
  dumpText(): string { return bpftool(['map', 'dump', 'pinned', this.pin]).out; }
  dumpJson(): unknown[] { return JSON.parse(bpftool(['map', 'dump', '-j', 'pinned', this.pin]).out) as unknown[]; }
  pop(): string { const r = bpftool(['map', 'pop', 'pinned', this.pin]); return r.rc === 0 ? r.out : `rc ${r.rc - 256}`; }
  close(): void { rmSync(this.pin, { force: true }); }
}

type Op = ['update', Uint8Array, Uint8Array, number] | ['delete', Uint8Array];

/** Apply ops to both maps; assert each outcome matches; return the outcome names. */
function both(k: KernelMap, x: BpfMap, ops: Op[]): string[] {
  return ops.map((op, i) => {
    const kr = op[0] === 'update' ? k.update(op[1], op[2], op[3]) : k.delete(op[1]);
    const xr = op[0] === 'update' ? x.updateElem(op[1], op[2], op[3]) : x.deleteElem(op[1]);
    const what = `op ${i}: ${op[0]} ${Array.from(op[1]).join(' ')}${op[0] === 'update' ? ` flags ${op[3]}` : ''}`;
    assert.is(errnoName(xr), errnoName(kr), what);
    return errnoName(kr);
  });
}

const le = (n: number, size = 4): Uint8Array => { const b = new Uint8Array(size); new DataView(b.buffer).setUint32(0, n >>> 0, true); return b; };
const sortJson = (j: unknown[]): string[] => j.map((e) => JSON.stringify(e)).sort();

/** A small seeded PRNG so the random sequences are the same every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
}

function withMaps(kernel: KernelMap, fn: () => void): void {
  try { fn(); } finally { kernel.close(); }
}

ktest('hash: the kernel and xdplab agree on every errno and the final contents', () => {
  const k = new KernelMap('hash', 4, 4, 3);
  const x = make(MAP_TYPE.HASH, 4, 4, 3, {}, CPUS);
  withMaps(k, () => {
    const res = both(k, x, [
      ['update', le(1), le(10), 0], ['update', le(1), le(11), BPF_NOEXIST], ['update', le(2), le(20), BPF_EXIST],
      ['update', le(2), le(20), BPF_NOEXIST], ['update', le(3), le(30), 0], ['update', le(4), le(40), 0],
      ['update', le(4), le(40), BPF_NOEXIST], ['update', le(1), le(12), BPF_EXIST], ['update', le(3), le(31), 0],
      ['delete', le(9)], ['delete', le(2)], ['update', le(4), le(41), BPF_NOEXIST],
    ]);
    assert.ok(res.includes('E2BIG') && res.includes('EEXIST') && res.includes('ENOENT'));
    assert.equal(sortJson(dumpJson(x)), sortJson(k.dumpJson()));
  });
});

ktest('hash: a random sequence with a full table agrees (dump compared as a set)', () => {
  const k = new KernelMap('hash', 8, 8, 6);
  const x = make(MAP_TYPE.HASH, 8, 8, 6, {}, CPUS);
  const r = rng(7);
  const ops: Op[] = [];
  for (let i = 0; i < 40; i++) {
    const key = le(Math.floor(r() * 10), 8);
    const p = r();
    ops.push(p < 0.7 ? ['update', key, le(i, 8), [0, BPF_NOEXIST, BPF_EXIST][Math.floor(r() * 3)]] : ['delete', key]);
  }
  withMaps(k, () => {
    both(k, x, ops);
    assert.equal(sortJson(dumpJson(x)), sortJson(k.dumpJson()));
  });
});

ktest('array: errnos and the exact dump text agree', () => {
  const k = new KernelMap('array', 4, 4, 3);
  const x = make(MAP_TYPE.ARRAY, 4, 4, 3, {}, CPUS);
  withMaps(k, () => {
    both(k, x, [
      ['update', le(0), le(1), 0], ['update', le(1), le(2), BPF_NOEXIST], ['update', le(2), le(3), BPF_EXIST],
      ['update', le(3), le(4), 0], ['delete', le(0)], ['delete', le(7)], ['update', le(1), le(5), 0],
    ]);
    assert.is(formatDump(x), k.dumpText());
  });
});

ktest('percpu_array: per-CPU dump text agrees', () => {
  const k = new KernelMap('percpu_array', 4, 12, 2);
  const x = make(MAP_TYPE.PERCPU_ARRAY, 4, 12, 2, {}, CPUS);
  withMaps(k, () => {
    const v = Uint8Array.from({ length: 12 }, (_, i) => i + 1);
    assert.is(k.update(le(1), v, 0), 0);
    const all = new Uint8Array(x.userValueSize);
    for (let c = 0; c < CPUS; c++) all.set(v, c * 16); // bpftool writes the same value to every CPU
    assert.is(x.updateElem(le(1), all), 0);
    assert.is(formatDump(x), k.dumpText());
  });
});

ktest('lpm_trie: a random sequence agrees on errnos and on the exact post-order dump', () => {
  const k = new KernelMap('lpm_trie', 8, 4, 12, MAP_FLAG.NO_PREALLOC);
  const x = make(MAP_TYPE.LPM_TRIE, 8, 4, 12, { flags: MAP_FLAG.NO_PREALLOC }, CPUS);
  const r = rng(42);
  const addrs = [[10, 0, 0, 0], [10, 1, 0, 0], [10, 1, 2, 0], [10, 1, 2, 3], [192, 168, 0, 0], [192, 168, 1, 0], [192, 168, 2, 0], [172, 16, 0, 0], [0, 0, 0, 0]];
  const lens = [0, 8, 9, 16, 22, 24, 31, 32, 33];
  const ops: Op[] = [];
  for (let i = 0; i < 70; i++) {
    const key = new Uint8Array(8);
    key.set(le(lens[Math.floor(r() * lens.length)]));
    key.set(addrs[Math.floor(r() * addrs.length)], 4);
    ops.push(r() < 0.65 ? ['update', key, le(i), [0, 0, BPF_NOEXIST, BPF_EXIST][Math.floor(r() * 4)]] : ['delete', key]);
  }
  withMaps(k, () => {
    const res = both(k, x, ops);
    assert.ok(res.includes('ENOSPC') && res.includes('EINVAL') && res.includes('ENOENT'), res.join(' '));
    assert.is(formatDump(x), k.dumpText());
  });
});

ktest('queue and stack: push outcomes and pop order agree', () => {
  for (const type of ['queue', 'stack'] as const) {
    const k = new KernelMap(type, 0, 4, 3);
    const x = make(type === 'queue' ? MAP_TYPE.QUEUE : MAP_TYPE.STACK, 0, 4, 3, {}, CPUS) as QueueStackMap;
    withMaps(k, () => {
      for (let i = 1; i <= 6; i++) {
        const flags = i === 5 ? BPF_EXIST : 0;
        assert.is(errnoName(x.updateElem(new Uint8Array(0), le(i), flags)), errnoName(k.update(undefined, le(i), flags)), `${type} push ${i}`);
      }
      for (let i = 0; i < 4; i++) {
        const v = new Uint8Array(4);
        const ours = x.pop(v, 0) === 0 ? `value: ${Array.from(v, (b) => b.toString(16).padStart(2, '0')).join(' ')}\n` : 'empty';
        const theirs = k.pop();
        assert.is(ours, theirs.startsWith('rc') ? 'empty' : theirs, `${type} pop ${i}`);
      }
    });
  }
});

ktest('devmap, devmap_hash and cpumap: errnos and dumps agree', () => {
  const d = new KernelMap('devmap', 4, 4, 4);
  const dx = make(MAP_TYPE.DEVMAP, 4, 4, 4, {}, CPUS);
  withMaps(d, () => {
    both(d, dx, [['update', le(0), le(1), 0], ['update', le(1), le(0), 0], ['update', le(0), le(1), BPF_EXIST],
      ['update', le(2), le(1), BPF_NOEXIST], ['update', le(4), le(1), 0], ['delete', le(3)], ['delete', le(9)], ['update', le(3), le(1), BPF_EXIST]]);
    assert.is(formatDump(dx), d.dumpText());
  });
  const h = new KernelMap('devmap_hash', 4, 4, 2);
  const hx = make(MAP_TYPE.DEVMAP_HASH, 4, 4, 2, {}, CPUS);
  withMaps(h, () => {
    both(h, hx, [['update', le(7), le(1), BPF_EXIST], ['update', le(7), le(0), 0], ['update', le(7), le(1), BPF_NOEXIST],
      ['update', le(5), le(1), 0], ['update', le(6), le(1), 0], ['delete', le(6)], ['delete', le(5)], ['update', le(6), le(1), BPF_NOEXIST]]);
    assert.equal(sortJson(dumpJson(hx)), sortJson(h.dumpJson()));
  });
  const c = new KernelMap('cpumap', 4, 4, CPUS + 1);
  const cx = make(MAP_TYPE.CPUMAP, 4, 4, CPUS + 1, {}, CPUS);
  withMaps(c, () => {
    both(c, cx, [['update', le(0), le(256), 0], ['update', le(CPUS), le(256), 0], ['update', le(0), le(65536), 0],
      ['update', le(0), le(64), BPF_NOEXIST], ['update', le(CPUS + 1), le(64), 0], ['update', le(0), le(0), 0], ['delete', le(CPUS + 5)]]);
    assert.is(formatDump(cx), c.dumpText());
  });
});

ktest('dump text agrees for keys and values that wrap', () => {
  const k = new KernelMap('hash', 20, 20, 2);
  const x = make(MAP_TYPE.HASH, 20, 20, 2, {}, CPUS);
  withMaps(k, () => {
    const b = Uint8Array.from({ length: 20 }, (_, i) => i * 13);
    both(k, x, [['update', b, b, 0]]);
    assert.is(formatDump(x), k.dumpText());
  });
});

test.run();
