// The helpers an XDP program may call, by the kernel's ids (src/isa/helper-ids.ts), with the
// kernel's semantics and return codes. `xdpHelpers(env)` builds the id -> function table the
// interpreter takes; `checkHelperCalls` is the load-time check that names an unknown helper
// or one XDP programs may not call.
import { fail } from '../../diag/index.js';
import { helperId, helperName, HELPER_NAMES, type Insn } from '../../isa/index.js';
import type { HelperFn } from '../call.js';
import type { HelperEnv } from './env.js';
import { mapHelpers } from './maps.js';
import { miscHelpers } from './misc.js';
import { printkHelper } from './printk.js';
import { xdpFrameHelpers } from './xdp.js';

export type { HelperEnv, RedirectTarget } from './env.js';
export { BPF_FIB_LKUP_RET, AF_INET, AF_INET6, RouteTable, parseRoutes, parseAddr, type FibLookup, type FibQuery, type FibAnswer, type Route } from './fib.js';
export { csumDiff } from './csum.js';
export { formatPrintk } from './printk.js';

/** Names (without bpf_) of the helpers xdplab gives XDP programs. */
export function xdpHelperNames(): string[] {
  return Object.keys(table(undefined as unknown as HelperEnv));
}

function table(env: HelperEnv): Record<string, HelperFn> {
  return { ...mapHelpers(env), ...xdpFrameHelpers(env), ...miscHelpers(env), trace_printk: printkHelper(env) };
}

/** id -> helper for one runtime's environment. */
export function xdpHelpers(env: HelperEnv): Map<number, HelperFn> {
  const out = new Map<number, HelperFn>();
  for (const [name, fn] of Object.entries(table(env))) {
    const id = helperId(name);
    if (id === undefined) throw new Error(`helper table names unknown helper ${name}`);
    out.set(id, fn);
  }
  return out;
}

/** Fail at load time on a call to a helper id the kernel does not define or XDP may not use. */
export function checkHelperCalls(insns: readonly Insn[], available: ReadonlyMap<number, HelperFn>, where: string): void {
  for (const insn of insns) {
    if (insn.opcode !== 0x85 || insn.src !== 0) continue;
    const id = insn.imm;
    if (available.has(id)) continue;
    const known = id > 0 && id < HELPER_NAMES.length - 1;
    fail('semantic', known
      ? `${where}: insn ${insn.slot}: helper ${helperName(id)} (${id}) is not available to XDP programs`
      : `${where}: insn ${insn.slot}: unknown helper ${id}`, { pc: insn.slot });
  }
}
