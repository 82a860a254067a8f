// An XDP program (an object's program or a compiled rule set) run on mbufs: the small adapter
// between the VM's runtime and the pipeline stages. It runs the program on the mbuf's bytes,
// writes the result back (adjust_head/tail included), prices the run from the cost profile and
// resolves a redirect to a port, a CPU (cpumap) or an AF_XDP socket (xskmap).
// The hot path is the runtime's runBurst (in place on the mbuf, compiled tier, no allocation).
import { readFileSync } from 'node:fs';
import { XdplabError, fail, type SourceLocation } from '../diag/index.js';
import { MAP_TYPE, findProgram, loadObject, type BpfObject } from '../elf/index.js';
import { inputFromProgram, offloadCheck, verifiedSlots } from '../verifier/index.js';
import { parseSetup, u32bytes, type BpfMap } from '../maps/index.js';
import type { CostProfile, ProgramTally } from '../cost/index.js';
import { HEADROOM, SLOT_SIZE, type Mempool } from '../packet/index.js';
import { loadRules, rulesObject, rulesSetup } from '../rules/index.js';
import { loadRuntime, type Runtime } from '../vm/runtime/index.js';
import type { Tier } from '../vm/index.js';

export const XDP_ABORTED = 0, XDP_DROP = 1, XDP_PASS = 2, XDP_TX = 3, XDP_REDIRECT = 4;
export const ACTION_NAMES = ['aborted', 'drop', 'pass', 'tx', 'redirect'];

/** Where a redirect goes, as one number: a port, or a tagged CPU / socket / unknown ifindex. */
export const TARGET_CPU = 0x10000, TARGET_XSK = 0x20000, TARGET_UNKNOWN = 0x30000;

export function targetName(t: number, portName: (p: number) => string): string {
  if (t >= TARGET_UNKNOWN) return `unknown ifindex ${t - TARGET_UNKNOWN}`;
  if (t >= TARGET_XSK) return `xsk ${t - TARGET_XSK}`;
  if (t >= TARGET_CPU) return `cpu ${t - TARGET_CPU}`;
  return `port ${portName(t)}`;
}

/** What a topology names: an object file and program, or a rule set; plus map setup. */
export interface ProgramRef {
  object?: string;
  rules?: string;
  prog?: string;
  setup?: string;
  /** Where the reference is in the topology file (for errors). */
  where?: SourceLocation;
}

export class XdpProgram {
  readonly runtime: Runtime;
  /** Redirect target of the last run that returned XDP_REDIRECT. */
  target = -1;
  private lastCost = 0;
  private readonly perInsn: number;
  private readonly touch: number;
  /**
   * runBurst reports a redirect's key or ifindex, not the map it went through: it is used when
   * the object has at most one redirect map (so the kind is known); otherwise every packet goes
   * through testRun, which names the map.
   */
  private readonly redirectMap: BpfMap | undefined;
  private readonly burst: boolean;
  private readonly one = new Int32Array(1);
  private readonly v1 = new Int32Array(1);
  private readonly t1 = new Int32Array(1);
  /** For `xdplab compare`: runs and executed instructions by XDP action, instructions per run. */
  private readonly byAction = new Float64Array(5);
  private readonly insnsByAction = new Float64Array(5);
  private readonly insnsHist = new Float64Array(HIST);
  private readonly insnsOver = new Map<number, number>();

  constructor(readonly ref: ProgramRef, cost: CostProfile, private readonly portOfIfindex: (ifindex: number) => number, tier?: Tier) {
    this.runtime = loadProgram(ref, tier);
    this.perInsn = cost.get('ebpf.perInsn') / cost.ghz;
    this.touch = cost.get('ebpf.packetTouch') / cost.ghz;
    const rmaps = [...this.runtime.maps.byName.values()].filter((m) => REDIRECT_MAPS.includes(m.spec.type));
    this.redirectMap = rmaps[0];
    this.burst = rmaps.length <= 1;
    this.runtime.counters.reset(this.runtime.memory); // map setup is not packet work
  }

  /** Run on mbuf h; the XDP action. The mbuf holds the frame as the program left it. */
  run(pool: Mempool, h: number): number {
    if (this.burst) {
      this.one[0] = h;
      const before = this.runtime.counters.insns;
      this.runtime.runBurst(pool, this.one, 1, this.v1, this.t1);
      const insns = this.runtime.counters.insns - before;
      this.lastCost = insns * this.perInsn + this.touch;
      const v = this.v1[0]! >>> 0;
      this.target = v === XDP_REDIRECT ? this.resolveKey(this.t1[0]!) : -1;
      return this.count(v > XDP_REDIRECT ? XDP_ABORTED : v, insns);
    }
    const r = this.runtime.testRun(pool.data(h));
    const out = r.dataOut;
    const len = out.length;
    const off = Math.max(0, Math.min(HEADROOM, SLOT_SIZE - len));
    pool.bytes.set(out, pool.slotBase(h) + off);
    pool.dataOff[h] = off; pool.metaOff[h] = off; pool.dataLen[h] = len;
    this.lastCost = r.insns * this.perInsn + this.touch;
    this.target = -1;
    if (r.retval === XDP_REDIRECT) this.target = this.resolve(r.redirect);
    return this.count(r.retval > XDP_REDIRECT ? XDP_ABORTED : r.retval, r.insns);
  }

  private count(action: number, insns: number): number {
    this.byAction[action]++;
    this.insnsByAction[action] += insns;
    if (insns < HIST) this.insnsHist[insns]++;
    else this.insnsOver.set(insns, (this.insnsOver.get(insns) ?? 0) + 1);
    return action;
  }

  /** What the VM measured over the run (plain data: it crosses worker threads as JSON). */
  tally(where: string, mode: ProgramTally['mode']): ProgramTally {
    const hist: [number, number][] = [];
    this.insnsHist.forEach((n, i) => { if (n > 0) hist.push([i, n]); });
    hist.push(...[...this.insnsOver].sort((a, b) => a[0] - b[0]));
    const r = this.ref;
    return {
      where, mode, ...(r.object ? { object: r.object } : {}), ...(r.rules ? { rules: r.rules } : {}), ...(r.prog ? { prog: r.prog } : {}),
      ...(r.setup ? { setup: r.setup } : {}), program: this.runtime.program.name,
      verdicts: [...this.byAction], insnsByVerdict: [...this.insnsByAction], insnsHistogram: hist,
      counters: this.runtime.counters.snapshot(this.runtime.memory),
    };
  }

  /** Virtual ns the last run took (instructions executed times the profile's cycles per instruction). */
  costNs(): number {
    return this.lastCost;
  }

  /** A runBurst target (key of the one redirect map, or an ifindex when there is none). */
  private resolveKey(key: number): number {
    const m = this.redirectMap;
    if (!m) return this.resolve({ kind: 'ifindex', index: key });
    const t = m.spec.type;
    if (t === MAP_TYPE.CPUMAP) return TARGET_CPU + key;
    if (t === MAP_TYPE.XSKMAP) return TARGET_XSK + key;
    const off = m.lookup(u32bytes(key), 0, 0);
    if (off < 0) return TARGET_UNKNOWN;
    const store = m.valueStorage(0);
    return this.resolve({ kind: 'devmap', index: key, value: new DataView(store.buffer, store.byteOffset).getUint32(off, true) });
  }

  private resolve(t: { kind: string; index: number; value?: number } | undefined): number {
    if (!t) return TARGET_UNKNOWN;
    if (t.kind === 'cpumap') return TARGET_CPU + t.index;
    if (t.kind === 'xskmap') return TARGET_XSK + t.index;
    const ifindex = t.kind === 'ifindex' ? t.index : (t.value ?? 0);
    const p = this.portOfIfindex(ifindex);
    return p >= 0 ? p : TARGET_UNKNOWN + ifindex;
  }
}

/** Instruction counts below this are histogrammed in an array; longer runs in a map. */
const HIST = 4096;

const REDIRECT_MAPS: number[] = [MAP_TYPE.DEVMAP, MAP_TYPE.DEVMAP_HASH, MAP_TYPE.CPUMAP, MAP_TYPE.XSKMAP];

function read(path: string, where?: SourceLocation): Uint8Array {
  try { return new Uint8Array(readFileSync(path)); } catch (e) {
    return fail('io', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { where });
  }
}

/** Like the kernel's HW-mode attach: refuse a program the NIC cannot run, naming each reason. */
function checkOffload(obj: BpfObject, ref: ProgramRef): void {
  const prog = findProgram(obj, ref.prog);
  const r = offloadCheck(inputFromProgram(obj, prog));
  const blocking = r.reasons.filter((x) => x.severity === 'blocks');
  if (r.offloadable && blocking.length === 0) return;
  fail('verifier', `${obj.file}: program ${prog.name} cannot be offloaded to the NIC (verify --target hw says no)`, {
    where: ref.where,
    notes: blocking.length ? blocking.map((x) => x.text) : r.verify.errors.map((e) => e.headline),
  });
}

/** Proven-safe slots per object this thread has verified (workers verify once per object too). */
const verified = new Map<string, ReadonlyMap<string, ReadonlySet<number>>>();

/**
 * Load the runtime a reference names, verified as the kernel verifies a program before it
 * attaches it (a rejected program is refused, exit 1, with the verifier's explanation); the
 * compiled tier (the default) leaves out the checks the verifier proved. Errors carry the
 * topology position and the cause.
 */
export function loadProgram(ref: ProgramRef, tier: Tier = 'compiled'): Runtime {
  try {
    let setupText = '';
    let obj;
    if (ref.rules) {
      const rs = loadRules(ref.rules);
      obj = loadObject(rulesObject(rs), ref.rules);
      setupText = rulesSetup(rs);
    } else {
      obj = loadObject(read(ref.object!, ref.where), ref.object!);
    }
    if (ref.setup) setupText += Buffer.from(read(ref.setup, ref.where)).toString('utf8');
    if ((ref as { mode?: string }).mode === 'offload') checkOffload(obj, ref);
    const key = `${ref.rules ?? ref.object}\0${ref.prog ?? ''}`;
    let provenSafe = verified.get(key);
    if (!provenSafe) verified.set(key, provenSafe = verifiedSlots(obj, ref.prog));
    return loadRuntime(obj, { prog: ref.prog, tier, provenSafe, setup: setupText ? parseSetup(setupText, ref.setup ?? ref.rules ?? 'setup') : undefined });
  } catch (e) {
    if (e instanceof XdplabError && ref.where && !e.diagnostics[0]?.where) {
      // The same error (and exit code: a rejected program is 1), placed at the topology line.
      throw new XdplabError([{ ...e.diagnostics[0]!, where: ref.where }, ...e.diagnostics.slice(1)], e.exitCode);
    }
    throw e;
  }
}
