// Shared helpers for the verifier tests: programs from assembly text, and the kernel as oracle.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assemble } from '../../src/asm/index.js';
import { MAP_TYPE, writeObject, type MapSpec } from '../../src/elf/index.js';
import type { Insn } from '../../src/isa/index.js';
import { verify, type VerifyOptions, type VerifyResult } from '../../src/verifier/index.js';

/** Maps every test program can name: `map[0]` .. `map[3]` in the assembly text. */
export const MAPS: MapSpec[] = [
  { name: 'arr', type: MAP_TYPE.ARRAY, keySize: 4, valueSize: 8, maxEntries: 16, flags: 0 },
  { name: 'hash', type: MAP_TYPE.HASH, keySize: 4, valueSize: 8, maxEntries: 16, flags: 0 },
  { name: 'rb', type: MAP_TYPE.RINGBUF, keySize: 0, valueSize: 0, maxEntries: 4096, flags: 0 },
  { name: 'devs', type: MAP_TYPE.DEVMAP, keySize: 4, valueSize: 4, maxEntries: 8, flags: 0 },
];

// `r1 = map[N] ll` assembles as a marker constant, then becomes a BPF_PSEUDO_MAP_FD lddw.
const MARK = 0x7ff;
export function program(source: string): Insn[] {
  const text = source.replace(/map\[(\d+)\]/g, (_, n: string) => `0x${MARK.toString(16)}${Number(n).toString(16).padStart(8, '0')}`);
  return assemble(text, 'test.s').insns.map((i) =>
    i.spec.shape === 'lddw' && i.src === 0 && i.imm64hi === MARK ? { ...i, src: 1, imm64hi: 0 } : i);
}

export function check(source: string, opts: VerifyOptions = {}): VerifyResult {
  return verify({ insns: program(source), maps: MAPS, progType: 'xdp' }, opts);
}

export interface KernelVerdict { ok: boolean; last: string; processed?: number }

/** Why the kernel cannot be asked here, or undefined when it can. */
export const kernelSkip: string | undefined = (() => {
  if (process.getuid?.() !== 0) return 'loading BPF programs needs root';
  if (!existsSync('/sys/fs/bpf')) return '/sys/fs/bpf is not mounted';
  const v = spawnSync('bpftool', ['version'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) return 'bpftool is not installed';
  return undefined;
})();

/** Why the kernel cannot be asked in strict mode (CAP_BPF + CAP_NET_ADMIN, no CAP_PERFMON/SYS_ADMIN). */
export const strictSkip: string | undefined = kernelSkip ?? (() => {
  const v = spawnSync('capsh', ['--version'], { encoding: 'utf8' });
  return v.error ? 'capsh is not installed (Debian: libcap2-bin)' : undefined;
})();

let n = 0;
/**
 * Load an object file with bpftool; the verifier's last message and instruction count.
 * caps 'bpf_net_admin' loads it with CAP_SYS_ADMIN and CAP_PERFMON dropped (capsh), so the
 * kernel applies its unprivileged-ish rules (no pointer leaks, no uninitialised stack, Spectre).
 */
export function kernelLoad(objPath: string, caps: VerifyOptions['caps'] = 'root'): KernelVerdict {
  const pin = `/sys/fs/bpf/xdplab_verifier_test_${process.pid}_${n++}`;
  const args = ['-d', 'prog', 'load', objPath, pin];
  // Logs of big programs run to hundreds of megabytes; the kernel keeps their tail.
  const big = { encoding: 'utf8' as const, maxBuffer: 1 << 30 };
  const r = caps === 'root'
    ? spawnSync('bpftool', args, big)
    : spawnSync('capsh', ['--drop=cap_sys_admin,cap_perfmon', '--', '-c', `exec bpftool ${args.map((a) => `'${a}'`).join(' ')}`], big);
  rmSync(pin, { force: true });
  const m = /(?:-- BEGIN PROG LOAD LOG --\n|^)([\s\S]*?)-- END PROG LOAD LOG --/.exec(r.stderr ?? '');
  const lines = m ? m[1]!.trim().split('\n') : (r.stderr ?? '').trim().split('\n');
  const processed = lines.map((l) => /^processed (\d+) insns/.exec(l)?.[1]).find(Boolean);
  const last = lines.filter((l) => !/^(verification time|processed|stack depth|libbpf:)/.test(l)).slice(-1)[0] ?? '';
  return { ok: r.status === 0, last, processed: processed ? Number(processed) : undefined };
}

/** The kernel's verdict on an assembly program (maps as in MAPS). */
export function kernelVerdict(source: string, caps: VerifyOptions['caps'] = 'root'): KernelVerdict {
  const dir = mkdtempSync(join(tmpdir(), 'xdplab-verifier-'));
  try {
    const o = join(dir, 'p.o');
    writeFileSync(o, writeObject({ programs: [{ name: 'prog', section: 'xdp', insns: program(source) }], maps: MAPS, license: 'GPL' }));
    return kernelLoad(o, caps);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The last line of the kernel text our verifier gives (the kernel prints context lines first). */
export const lastLine = (s: string): string => s.split('\n').pop()!;

/**
 * Load every program of an object as XDP (`bpftool prog loadall ... type xdp`) and read each
 * one's processed-instruction count from its verifier log; undefined where the load failed.
 */
export function kernelCounts(objPath: string): Map<string, number> | undefined {
  const dir = `/sys/fs/bpf/xdplab_verifier_all_${process.pid}_${n++}`;
  const r = spawnSync('bpftool', ['-d', 'prog', 'loadall', objPath, dir, 'type', 'xdp'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) return undefined;
  const out = new Map<string, number>();
  for (const m of (r.stderr ?? '').matchAll(/prog '([^']+)': -- BEGIN PROG LOAD LOG --\n[\s\S]*?^processed (\d+) insns/gm)) out.set(m[1]!, Number(m[2]!));
  return out;
}
