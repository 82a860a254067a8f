// State pruning (states_equal/regsafe/stacksafe): a new state at a slot is safe without
// further exploration when a fully explored old state there covers it: every live register
// and stack byte of the old state admits the new one. Scalars the old state never needed
// precisely (precision.ts) admit any scalar.
import type { Reg } from './reg.js';
import { contains, equalBounds, unknown } from './scalar.js';
import { Slot, type Frame, type State } from './state.js';

/**
 * NOT_EXACT: the usual "old covers cur"; RANGE_WITHIN: also imprecise scalars must be in
 * range (loops through callbacks); EXACT: the same state (an endless loop).
 */
export const enum Mode { NOT_EXACT, RANGE_WITHIN, EXACT }

/** Old id -> cur id consistency (check_ids): linked registers must stay linked. */
class IdMap {
  private m = new Map<number, number>();
  private back = new Map<number, number>();
  private tmp = 0;
  ok(o: number, c: number): boolean {
    if ((o === 0) !== (c === 0)) return false;
    if (o === 0) return true;
    const x = this.m.get(o), y = this.back.get(c);
    if (x === undefined && y === undefined) { this.m.set(o, c); this.back.set(c, o); return true; }
    return x === c && y === o;
  }
  /** check_scalar_ids: an unlinked cur scalar gets a fresh id of its own. */
  scalar(o: number, c: number): boolean {
    if (o === 0) return true;
    return this.ok(o, c === 0 ? --this.tmp : c);
  }
}

const UNBOUND: Reg = { type: 'scalar', b: unknown(), off: 0, id: 0, range: 0, map: -1, frame: 0, memSize: 0, refId: 0 };

function regsExact(o: Reg, c: Reg, ids: IdMap): boolean {
  return o.type === c.type && o.off === c.off && o.range === c.range && o.map === c.map && o.frame === c.frame &&
    o.memSize === c.memSize && equalBounds(o.b, c.b) && ids.ok(o.id, c.id) && ids.ok(o.refId, c.refId);
}

function regsafe(o: Reg, c: Reg, ids: IdMap, mode: Mode, aluLimits: boolean): boolean {
  if (o.type === 'not_init') return mode === Mode.NOT_EXACT || c.type === 'not_init';
  if (mode === Mode.EXACT) return regsExact(o, c, ids);
  if (o.type !== c.type) return false;
  switch (o.type) {
    case 'scalar':
      // Without CAP_PERFMON, pointer arithmetic masks depend on exact values: compare exactly.
      if (aluLimits) return equalBounds(o.b, c.b) && ids.scalar(o.id, c.id);
      if (!o.precise && mode === Mode.NOT_EXACT) return true;
      return contains(o.b, c.b) && ids.scalar(o.id, c.id);
    case 'pkt':
    case 'pkt_meta':
      if (o.range < 0 || c.range < 0) { if (o.range !== c.range) return false; } else if (o.range > c.range) return false;
      return o.off === c.off && ids.ok(o.id, c.id) && contains(o.b, c.b);
    case 'map_value_or_null':
    case 'map_ptr_or_null':
    case 'ringbuf_mem_or_null':
    case 'mem_or_null':
    case 'btf_ptr_or_null':
      return o.off === c.off && contains(o.b, c.b) && o.map === c.map && o.memSize === c.memSize && !!o.rw === !!c.rw && ids.ok(o.id, c.id) && ids.ok(o.refId, c.refId);
    case 'ringbuf_mem':
    case 'mem':
    case 'btf_ptr':
      return o.off === c.off && contains(o.b, c.b) && o.memSize === c.memSize && !!o.rw === !!c.rw && ids.ok(o.refId, c.refId);
    default:
      return o.off === c.off && contains(o.b, c.b) && o.map === c.map && o.frame === c.frame;
  }
}

/** The register a slot reads back as, where that is one (scalar_reg_for_stack). */
function slotScalar(f: Frame, k: number, priv: boolean): Reg | undefined {
  const b = f.bytes;
  const sp = f.spills[k];
  if (b[k * 8 + 7] === Slot.SPILL && sp && sp.reg.type === 'scalar') return sp.reg;
  for (let i = k * 8; i < k * 8 + 8; i++) if (!(b[i] === Slot.MISC || (b[i] === Slot.INVALID && priv))) return undefined;
  return UNBOUND;
}

function stacksafe(o: Frame, c: Frame, ids: IdMap, priv: boolean, mode: Mode, aluLimits: boolean, dead?: Uint8Array): boolean {
  const ob = o.bytes, cb = c.bytes;
  for (let k = 0; k < ob.length >> 3; k++) {
    if (dead?.[k]) continue;
    // The kernel walks each slot from its highest byte down.
    for (let i = k * 8 + 7; i >= k * 8; i--) {
      const ot = ob[i]!, ct = cb[i]!;
      if (mode !== Mode.NOT_EXACT && ot !== ct) return false;
      if (ot === Slot.INVALID) continue;
      if (priv && ot === Slot.MISC) continue;
      const or = slotScalar(o, k, priv), cr = or && slotScalar(c, k, priv);
      if (or && cr) {
        if (!regsafe(or, cr, ids, mode, aluLimits)) return false;
        break;
      }
      if (ot === Slot.MISC && ct === Slot.ZERO) continue;
      if (ot !== ct) return false;
      if (i !== k * 8) continue;
      if (ot === Slot.SPILL) {
        const os = o.spills[k], cs = c.spills[k];
        if (!os || !cs || !regsafe(os.reg, cs.reg, ids, mode, aluLimits)) return false;
      }
    }
  }
  return true;
}

/**
 * Does `old` cover `cur`? `live(f)` is the live register mask of frame f at its current
 * slot (the top frame's pc, a caller's call instruction); `dead[f][k]` marks stack slots
 * of the old state nothing reads any more.
 */
export function statesEqual(old: State, cur: State, live: (f: number) => number, priv: boolean, mode: Mode, aluLimits = false, dead?: readonly Uint8Array[]): boolean {
  if (old.frames.length !== cur.frames.length || old.refs.length !== cur.refs.length) return false;
  const ids = new IdMap();
  for (let k = 0; k < old.refs.length; k++) if (!ids.ok(old.refs[k]!.id, cur.refs[k]!.id)) return false;
  for (let f = 0; f < old.frames.length; f++) {
    const o = old.frames[f]!, c = cur.frames[f]!;
    if (o.callsite !== c.callsite || o.subprog !== c.subprog || !!o.callback !== !!c.callback) return false;
    if (o.cbDepth > c.cbDepth) return false;
    const mask = live(f);
    for (let r = 0; r <= 10; r++) {
      if (!(mask & (1 << r))) continue;
      if (!regsafe(o.regs[r]!, c.regs[r]!, ids, mode, aluLimits)) return false;
    }
    if (!stacksafe(o, c, ids, priv, mode, aluLimits, dead?.[f])) return false;
  }
  return true;
}

/** Cheap pre-check for the endless-loop test (states_maybe_looping): the top frame's registers are identical. */
export function maybeLooping(old: State, cur: State): boolean {
  if (old.frames.length !== cur.frames.length) return false;
  const o = old.frames[old.frames.length - 1]!.regs, c = cur.frames[cur.frames.length - 1]!.regs;
  for (let r = 0; r < 11; r++) {
    const x = o[r]!, y = c[r]!;
    if (x === y) continue;
    if (x.type !== y.type || x.off !== y.off || x.id !== y.id || x.range !== y.range || x.map !== y.map || x.frame !== y.frame || !equalBounds(x.b, y.b)) return false;
  }
  return true;
}

/**
 * Back at a callback call: scalars neither state needed precisely and that changed since
 * the earlier iteration `old` become unknown, so the iterations converge (widen_imprecise_scalars).
 */
export function widenImprecise(old: State, cur: State): void {
  const ids = new IdMap();
  const widen = (o: Reg, c: Reg): boolean => o.type === 'scalar' && c.type === 'scalar' && !o.precise && !c.precise && !regsExact(o, c, ids);
  old.frames.forEach((of, f) => {
    const cf = cur.frames[f]!;
    for (let r = 0; r < 10; r++) if (widen(of.regs[r]!, cf.regs[r]!)) cf.regs[r] = { ...UNBOUND, b: unknown() };
    for (let k = 0; k < of.spills.length; k++) {
      const os = of.spills[k], cs = cf.spills[k];
      if (!os || !cs || of.bytes[k * 8] !== Slot.SPILL || cf.bytes[k * 8] !== Slot.SPILL) continue;
      if (widen(os.reg, cs.reg)) cf.spills[k] = { reg: { ...UNBOUND, b: unknown() }, size: cs.size };
    }
  });
}
