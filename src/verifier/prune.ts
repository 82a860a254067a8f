// State pruning (states_equal/regsafe/stacksafe): a new state at a slot is safe without
// further exploration when a fully explored old state there covers it: every live register
// and stack byte of the old state admits the new one.
import type { Reg } from './reg.js';
import { contains, equalBounds } from './scalar.js';
import { Slot, type Frame, type State } from './state.js';

/** Old id -> cur id consistency (check_ids): linked registers must stay linked. */
class IdMap {
  private m = new Map<number, number>();
  private back = new Map<number, number>();
  ok(o: number, c: number): boolean {
    if (o === 0) return true;
    if (c === 0) return false;
    const x = this.m.get(o), y = this.back.get(c);
    if (x === undefined && y === undefined) { this.m.set(o, c); this.back.set(c, o); return true; }
    return x === c && y === o;
  }
}

function regsafe(o: Reg, c: Reg, ids: IdMap, exact: boolean): boolean {
  if (o.type === 'not_init') return !exact || c.type === 'not_init';
  if (o.type !== c.type) return false;
  const b = exact ? equalBounds(o.b, c.b) : contains(o.b, c.b);
  switch (o.type) {
    case 'scalar':
      // Ids only matter when the old state relied on a link.
      return b && (o.id === 0 || ids.ok(o.id, c.id));
    case 'pkt':
    case 'pkt_meta':
      if (o.off !== c.off || !b || !ids.ok(o.id, c.id)) return false;
      if (o.range < 0 || c.range < 0) return o.range === c.range;
      return exact ? o.range === c.range : c.range >= o.range;
    case 'map_value_or_null':
    case 'map_ptr_or_null':
    case 'ringbuf_mem_or_null':
    case 'mem_or_null':
    case 'btf_ptr_or_null':
      return o.off === c.off && b && o.map === c.map && o.memSize === c.memSize && ids.ok(o.id, c.id) && ids.ok(o.refId, c.refId);
    case 'ringbuf_mem':
    case 'mem':
    case 'btf_ptr':
      return o.off === c.off && b && o.memSize === c.memSize && ids.ok(o.refId, c.refId);
    default:
      return o.off === c.off && b && o.map === c.map && o.frame === c.frame;
  }
}

function stacksafe(o: Frame, c: Frame, ids: IdMap, priv: boolean, exact: boolean): boolean {
  for (let i = 0; i < o.bytes.length; i++) {
    const ot = o.bytes[i]!, ct = c.bytes[i]!;
    if (exact) { if (ot !== ct) return false; } else {
      if (ot === Slot.INVALID) continue;
      if (ot === Slot.MISC && (priv || ct !== Slot.INVALID)) {
        // A spilled pointer read back as data would be a different thing.
        if (ct !== Slot.SPILL || c.spills[i >> 3]?.reg.type === 'scalar') continue;
        return false;
      }
      if (ot === Slot.ZERO && ct === Slot.ZERO) continue;
      if (ot !== ct) return false;
    }
    if (ot === Slot.SPILL && (i & 7) === 0) {
      const os = o.spills[i >> 3], cs = c.spills[i >> 3];
      if (!os || !cs || os.size !== cs.size || !regsafe(os.reg, cs.reg, ids, exact)) return false;
    }
  }
  return true;
}

/**
 * Does `old` cover `cur`? `liveTop` is the live register mask at the slot for the innermost
 * frame; `liveAt(slot)` gives the mask for callers (at their return slot).
 * `exact` is the loop check: the states are the same, so the path would run forever.
 */
export function statesEqual(old: State, cur: State, liveTop: number, liveAt: (slot: number) => number, priv: boolean, exact = false): boolean {
  if (old.frames.length !== cur.frames.length || old.refs.length !== cur.refs.length) return false;
  const ids = new IdMap();
  for (let f = 0; f < old.frames.length; f++) {
    const o = old.frames[f]!, c = cur.frames[f]!;
    if (o.callsite !== c.callsite || o.subprog !== c.subprog || !!o.callback !== !!c.callback) return false;
    const last = f === old.frames.length - 1;
    // Callers resume after the call with r0-r5 replaced: only r6-r9 matter there.
    const live = last ? liveTop : liveAt(old.frames[f + 1]!.callsite + 1) & ~0x3f;
    for (let r = 0; r <= 9; r++) {
      if (!(live & (1 << r))) continue;
      if (!regsafe(o.regs[r]!, c.regs[r]!, ids, exact)) return false;
    }
    if (!stacksafe(o, c, ids, priv, exact)) return false;
  }
  for (let k = 0; k < old.refs.length; k++) if (!ids.ok(old.refs[k]!.id, cur.refs[k]!.id)) return false;
  return true;
}
