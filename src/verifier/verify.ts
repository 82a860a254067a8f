// The verifier's front door: structure checks, analysis, whole-program limits, report.
import type { BpfObject, BpfProgram } from '../elf/index.js';
import { lineAt } from '../elf/index.js';
import { HELPER_NAMES } from '../isa/index.js';
import { buildCfg, type Cfg } from './cfg.js';
import type { Env } from './env.js';
import type { Facts } from './facts.js';
import { Explorer } from './explore.js';
import { globalEntry, globalProtos } from './globals.js';
import { XDP_HELPERS } from './helpers.js';
import { markPrecise } from './precision.js';
import { ptrReg } from './reg.js';
import { StackLive } from './stack-live.js';
import { entryState } from './state.js';
import { liveness } from './liveness.js';
import { formatState } from './log.js';
import { Reject, reject } from './reject.js';
import type { PathDecision, VerifierError, VerifierInput, VerifyOptions, VerifyResult } from './types.js';

export const INSN_LIMIT = 1_000_000;
const MAX_STACK = 512;

export function verify(input: VerifierInput, opts: VerifyOptions = {}): VerifyResult {
  return analyse(input, opts);
}

/** verify, optionally collecting per-instruction facts (for offloadCheck). */
export function analyse(given: VerifierInput, opts: VerifyOptions = {}, facts?: Facts): VerifyResult {
  // Inner map templates of map-in-maps become maps of their own (lookups return them).
  const maps = [...given.maps];
  const inner = new Map<number, number>();
  given.maps.forEach((m, i) => { if (m.inner) inner.set(i, maps.push({ ...m.inner, name: m.inner.name || `${m.name}.inner` }) - 1); });
  const input: VerifierInput = inner.size ? { ...given, maps } : given;
  const log: string[] | undefined = opts.log ? [] : undefined;
  let ids = 0;
  const stackDepth = new Map<number, number>();
  let cfg: Cfg | undefined;
  let explorer: Explorer | undefined;
  const result = (errors: VerifierError[]): VerifyResult => {
    const subs = cfg?.subprogs ?? [0];
    const depths = subs.map((s) => stackDepth.get(s) ?? 0);
    const stats = explorer?.stats;
    if (log && stats) {
      log.push(`stack depth ${depths.join('+')}`);
      log.push(`processed ${stats.processed} insns (limit ${opts.insnLimit ?? INSN_LIMIT}) max_states_per_insn ${stats.maxStatesPerInsn} total_states ${stats.totalStates} peak_states ${stats.peakStates} mark_read 0`);
    }
    return {
      ok: errors.length === 0, processedInsns: stats?.processed ?? 0,
      maxStackDepth: cfg ? combinedDepth(cfg, stackDepth).depth : 0, stackDepths: depths,
      totalStates: stats?.totalStates ?? 0, prunedPaths: stats?.pruned ?? 0, errors, log,
      // Every path that reaches these slots was checked; with a verdict of ok that is all of them.
      provenSafe: errors.length === 0 && explorer ? new Set(explorer.memChecked) : new Set<number>(),
    };
  };
  try {
    cfg = buildCfg(input, opts.target === 'hw');
    const globals = new Set(input.globals?.keys() ?? []);
    const env: Env = {
      input, bySlot: cfg.bySlot, priv: (opts.caps ?? 'root') === 'root', offload: opts.target === 'hw', innerMap: (i) => inner.get(i), nextId: () => ++ids, stackDepth,
      precise: (st, regs, slots) => markPrecise({ env, globals, log }, st, regs, slots), flags: { aluLimits: false, loopInline: new Map(), loopTarget: new Map() },
      stackUse: (st, frame, k0, k1, write) => {
        const top = st.frames.length - 1;
        if (write) { if (frame === top) stackLive.write(k0, k1); return; }
        stackLive.read(frame === top ? st.pc : st.frames[frame + 1]!.callsite, k0, k1);
      },
    };
    const stackLive = new StackLive(cfg);
    const ex = explorer = new Explorer(env, cfg, liveness(cfg), opts.insnLimit ?? INSN_LIMIT, log, facts, pktChangers(cfg, globals), stackLive);
    const main = entryState(0);
    main.frames[0]!.regs[1] = ptrReg('ctx');
    ex.run(main);
    // Then each global function some path called, once, on its own (do_check_subprogs).
    const done = new Set<number>();
    for (let again = true; again;) {
      again = false;
      cfg.subprogs.forEach((s, idx) => {
        if (!ex.called.has(s) || done.has(s)) return;
        const proto = input.globals!.get(s)!;
        log?.push('', `Validating ${proto.name}() func#${idx}...`);
        ex.run(globalEntry(env, proto, s));
        log?.push(`Func#${idx} ('${proto.name}') is safe for any args that match its prototype`);
        done.add(s);
        again = true;
      });
    }
    explorer.cur = null;
    const c = combinedDepth(cfg, stackDepth);
    if (c.frames > 8) reject(`the call stack of ${c.frames} frames is too deep`, `calls nest ${c.frames} deep; the kernel allows 8 frames`, undefined, -1);
    if (c.depth > MAX_STACK) {
      reject(`combined stack size of ${c.frames} calls is ${c.depth}. Too large`,
        `the stack frames of the deepest call chain add up to ${c.depth} bytes (${c.chain.map((s) => `${input.funcNames?.get(s) ?? `func@${s}`} ${round16(stackDepth.get(s) ?? 0)}`).join(' + ')}); the limit is 512`, undefined, -1);
    }
    return result([]);
  } catch (e) {
    if (!(e instanceof Reject)) throw e;
    const st = explorer?.cur ?? null;
    const pc = e.pc ?? st?.pc ?? -1;
    const path: PathDecision[] = [];
    for (let p = st?.path; p; p = p.prev) path.unshift({ pc: p.pc, taken: p.taken });
    const err: VerifierError = {
      pc, headline: e.headline, kernelMessage: e.kernelMessage,
      registers: st && e.pc === undefined ? formatState(st, input.maps) : [], path,
      ...(e.counterexample ? { counterexample: e.counterexample } : {}),
    };
    const src = pc >= 0 ? input.lineInfo?.(pc) : undefined;
    if (src) err.source = src;
    log?.push(`${pc >= 0 ? `${pc}: ` : ''}${e.kernelMessage}`);
    return result([err]);
  }
}

/** Global functions that change packet data themselves or through what they call. */
function pktChangers(cfg: Cfg, globals: ReadonlySet<number>): Set<number> {
  const direct = (f: number): boolean => {
    const end = cfg.subprogs[cfg.subprogs.indexOf(f) + 1] ?? cfg.bySlot.length;
    for (let s = f; s < end; s++) {
      const i = cfg.bySlot[s];
      if (i?.spec.shape === 'call' && XDP_HELPERS[HELPER_NAMES[i.imm] ?? '']?.changesPkt) return true;
    }
    return false;
  };
  const out = new Set<number>();
  for (const g of globals) {
    const seen = new Set<number>();
    const work = [g];
    while (work.length) {
      const f = work.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      if (direct(f)) { out.add(g); break; }
      work.push(...(cfg.calls.get(f) ?? []));
    }
  }
  return out;
}

const round16 = (n: number): number => Math.ceil(n / 16) * 16;

/** The deepest call chain's stack use (check_max_stack_depth, JIT rounding to 16 bytes). */
function combinedDepth(cfg: Cfg, depth: Map<number, number>): { depth: number; frames: number; chain: number[] } {
  let best = { depth: 0, frames: 1, chain: [0] };
  const walk = (s: number, acc: number, chain: number[]): void => {
    const d = acc + round16(depth.get(s) ?? 0);
    if (d > best.depth || chain.length > best.frames) best = { depth: Math.max(d, best.depth), frames: Math.max(chain.length, best.frames), chain };
    if (chain.length > 9) return;
    for (const t of cfg.calls.get(s) ?? []) walk(t, d, [...chain, t]);
  };
  walk(0, 0, [0]);
  return best;
}

/** The verifier input for a program of a loaded object (src/elf loadObject). */
export function inputFromProgram(obj: Pick<BpfObject, 'maps'> & Partial<Pick<BpfObject, 'btf'>>, prog: BpfProgram): VerifierInput {
  const funcNames = new Map<number, string>([[0, prog.name], ...prog.subprograms.map((s) => [s.slot, s.name] as [number, string])]);
  return {
    insns: prog.insns, maps: obj.maps, progType: 'xdp', attach: prog.attach,
    lineInfo: (slot) => {
      const l = lineAt(prog.lineInfo, slot);
      return l ? { file: l.file, line: l.line, col: l.col, text: l.text } : undefined;
    },
    funcNames,
    kfuncs: new Map((prog.kfuncs ?? []).map((k) => [k.slot, k.name])),
    globals: globalProtos(prog, obj.btf),
  };
}
