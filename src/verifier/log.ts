// Kernel-like text for states: `R1=ctx() R10=fp0 fp-8=mmmmmmmm`.
import type { MapSpec } from '../elf/index.js';
import { formatReg } from './reg.js';
import { Slot, top, type Frame, type State } from './state.js';

const SLOT_CHAR = ['?', 'm', '0', 'r'];

/** Registers r0-r10 that hold something, then stack slots, for the innermost frame. */
export function formatState(st: State, maps: readonly MapSpec[]): string[] {
  const fr = top(st);
  const out: string[] = [];
  if (st.frames.length > 1) out.push(`frame${fr.frameno}:`);
  fr.regs.forEach((r, i) => { if (r.type !== 'not_init') out.push(`R${i}=${formatReg(r, maps, fr.frameno)}`); });
  out.push(...formatStack(fr, maps));
  return out;
}

export function formatStack(fr: Frame, maps: readonly MapSpec[]): string[] {
  const out: string[] = [];
  for (let k = fr.spills.length - 1; k >= 0; k--) {
    const bytes = fr.bytes.subarray(k * 8, k * 8 + 8);
    if (bytes.every((b) => b === Slot.INVALID)) continue;
    const off = k * 8 - 512;
    const sp = fr.spills[k];
    if (sp && bytes[0] === Slot.SPILL) out.push(`fp${off}=${formatReg(sp.reg, maps, fr.frameno)}`);
    // The kernel prints the highest address first.
    else out.push(`fp${off}=${[...bytes].reverse().map((b) => SLOT_CHAR[b]).join('')}`);
  }
  return out;
}

/** Only the registers named (those an instruction touched). */
export function formatRegs(st: State, regs: number[], maps: readonly MapSpec[]): string {
  const fr = top(st);
  return [...new Set(regs)].sort((a, b) => a - b).filter((r) => r <= 10 && fr.regs[r]!.type !== 'not_init')
    .map((r) => `R${r}=${formatReg(fr.regs[r]!, maps, fr.frameno)}`).join(' ');
}
