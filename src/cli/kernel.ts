// The Linux kernel as an oracle: load an object with bpftool, run a program with
// BPF_PROG_TEST_RUN (`bpftool prog run`), read maps back. Used by `xdplab bench` and by the
// differential tests. Everything is pinned under one directory per session and removed after.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BPFFS = '/sys/fs/bpf';
let counter = 0;

export type KernelStatus = { ok: true } | { ok: false; reason: string };

let cachedStatus: KernelStatus | undefined;

/** Whether bpftool can load and run programs here; the reason when it cannot. */
export function kernelStatus(): KernelStatus {
  if (cachedStatus) return cachedStatus;
  const which = spawnSync('bpftool', ['version'], { encoding: 'utf8' });
  if (which.error || which.status !== 0) return (cachedStatus = { ok: false, reason: 'bpftool is not installed' });
  if (!existsSync(BPFFS)) return (cachedStatus = { ok: false, reason: `${BPFFS} is not mounted` });
  if (process.getuid?.() !== 0) return (cachedStatus = { ok: false, reason: 'loading BPF programs needs root' });
  // A probe: the committed two-instruction xdp_pass.o must load (no compiler needed).
  const probe = probeObject();
  if (!probe) return (cachedStatus = { ok: false, reason: 'programs/xdp/xdp_pass.o (the probe object) is missing' });
  const session = tryOpen(() => new KernelSession(probe));
  if (typeof session === 'string') return (cachedStatus = { ok: false, reason: `bpf() is unavailable: ${session}` });
  session.close();
  return (cachedStatus = { ok: true });
}

function tryOpen<T>(f: () => T): T | string {
  try { return f(); } catch (e) { return (e as Error).message.split('\n')[0]!; }
}

/** programs/xdp/xdp_pass.o, found from this module (src/cli or dist/src/cli) up to the repo. */
function probeObject(): string | undefined {
  let dir = fileURLToPath(new URL('.', import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'programs', 'xdp', 'xdp_pass.o');
    if (existsSync(candidate)) return candidate;
    dir = join(dir, '..');
  }
  return undefined;
}

export interface KernelRunResult {
  retval: number;
  /** Average duration per run as bpftool reports it. */
  durationNs: number;
  dataOut: Uint8Array;
}

export interface KernelMapEntry { key: number[]; value?: number[]; values?: { cpu: number; value: number[] }[] }

/** One object loaded into the kernel with all its programs and maps pinned. */
export class KernelSession {
  readonly dir: string;
  readonly mapDir: string;
  private tmp: string;

  constructor(readonly object: string) {
    this.dir = join(BPFFS, `xdplab_${process.pid}_${counter++}`);
    this.mapDir = join(this.dir, 'maps');
    this.tmp = mkdtempSync(join(tmpdir(), 'xdplab-kernel-'));
    const res = spawnSync('bpftool', ['prog', 'loadall', object, this.dir, 'type', 'xdp', 'pinmaps', this.mapDir], { encoding: 'utf8' });
    if (res.status !== 0) {
      this.close();
      throw new Error(`kernel refused ${object}: ${(res.stderr || res.stdout).trim()}`);
    }
  }

  programs(): string[] {
    return readdirSync(this.dir).filter((n) => n !== 'maps');
  }

  maps(): string[] {
    return existsSync(this.mapDir) ? readdirSync(this.mapDir) : [];
  }

  /** Apply one `bpftool map update` argument line (`name MAP key ... value ...`). */
  update(line: string): void {
    const toks = line.replace(/#.*$/, '').trim().split(/\s+/).filter(Boolean);
    if (toks.length === 0) return;
    if (toks[0] !== 'name') throw new Error(`setup line must start with 'name': ${line}`);
    const args = ['map', 'update', 'pinned', join(this.mapDir, toks[1]!)];
    for (let i = 2; i < toks.length; i++) {
      if (toks[i] === 'value' && toks[i + 1] === 'name') {
        args.push('value', 'pinned', join(this.dir, toks[i + 2]!));
        i += 2;
      } else args.push(toks[i]!);
    }
    run(args);
  }

  /**
   * BPF_PROG_TEST_RUN through bpftool. The kernel runs the program on the CPU bpftool runs on,
   * so `opts.cpu` pins bpftool there (taskset) for per-CPU maps and get_smp_processor_id.
   */
  run(prog: string, dataIn: Uint8Array, repeat = 1, opts: { ctxIn?: Uint8Array; cpu?: number } = {}): KernelRunResult {
    const inPath = join(this.tmp, 'in.bin');
    const outPath = join(this.tmp, 'out.bin');
    writeFileSync(inPath, dataIn);
    rmSync(outPath, { force: true });
    const args = ['prog', 'run', 'pinned', join(this.dir, prog), 'data_in', inPath, 'data_out', outPath, 'repeat', String(repeat)];
    if (opts.ctxIn) {
      const ctxPath = join(this.tmp, 'ctx.bin');
      writeFileSync(ctxPath, opts.ctxIn);
      args.push('ctx_in', ctxPath);
    }
    const text = opts.cpu === undefined ? run(args) : run([String(opts.cpu), 'bpftool', ...args], 'taskset -c');
    // bpftool prints `duration (average)` only when repeat > 1.
    const m = /Return value: (\d+), duration(?: \(average\))?: (\d+)ns/.exec(text);
    if (!m) throw new Error(`unexpected bpftool output: ${text}`);
    const dataOut = existsSync(outPath) ? new Uint8Array(readFileSync(outPath)) : new Uint8Array(0);
    return { retval: Number(m[1]), durationNs: Number(m[2]), dataOut };
  }

  dump(map: string): KernelMapEntry[] {
    const text = run(['map', 'dump', '-j', 'pinned', join(this.mapDir, map)]);
    const raw = JSON.parse(text) as { key: string[]; value?: string[]; values?: { cpu: number; value: string[] }[] }[];
    const bytes = (a: string[]): number[] => a.map((x) => parseInt(x, 16));
    return raw.map((e) => ({
      key: bytes(e.key),
      ...(e.value ? { value: bytes(e.value) } : {}),
      ...(e.values ? { values: e.values.map((v) => ({ cpu: v.cpu, value: bytes(v.value) })) } : {}),
    }));
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(this.tmp, { recursive: true, force: true });
  }
}

function run(args: string[], via?: 'taskset -c'): string {
  const res = via ? spawnSync('taskset', ['-c', ...args], { encoding: 'utf8' }) : spawnSync('bpftool', args, { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`bpftool ${args.join(' ')}: ${(res.stderr || res.stdout).trim()}`);
  return res.stdout;
}
