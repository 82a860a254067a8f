// Matches to branches: each condition jumps to onTrue or onFalse (short-circuit `and`/`or`).
// Field values come from the parser's stack slots; fields up to 32 bits use 32-bit compares
// (unsigned, so immediates above 2^31 work), MACs and IPv6 words use 64-bit registers.
import type { Cond, SetDecl } from '../ir.js';
import { fieldInfo } from '../fields.js';
import { Emitter, type Label } from './emit.js';
import { fieldLoc, flagBits, KEY, SLOT, type SlotName } from './layout.js';

export interface MatchCtx {
  sets: Map<string, { decl: SetDecl; index: number }>;
}

export function emitCond(e: Emitter, c: Cond, onTrue: Label, onFalse: Label, ctx: MatchCtx): void {
  switch (c.t) {
    case 'true': e.jmp(onTrue); return;
    case 'false': e.jmp(onFalse); return;
    case 'not': emitCond(e, c.c, onFalse, onTrue, ctx); return;
    case 'and': case 'or': {
      c.list.forEach((x, i) => {
        if (i === c.list.length - 1) { emitCond(e, x, onTrue, onFalse, ctx); return; }
        const next = e.label();
        if (c.t === 'and') emitCond(e, x, next, onFalse, ctx); else emitCond(e, x, onTrue, next, ctx);
        e.bind(next);
      });
      return;
    }
    case 'has':
      e.ldx('dw', 1, 10, SLOT.FLAGS);
      e.jcond('jset', 1, flagBits(c.proto), onTrue);
      e.jmp(onFalse);
      return;
    case 'range':
      if (c.field === 'ip6.src' || c.field === 'ip6.dst') { ip6Prefix(e, c.field, c.lo, c.hi, onTrue, onFalse); return; }
      loadField(e, 1, c.field);
      if (fieldInfo(c.field)!.bits > 32) { wideRange(e, c.lo, c.hi, onTrue, onFalse); return; }
      if (c.lo === c.hi) {
        e.jcond('jeq', 1, Number(c.lo), onTrue, 32);
      } else {
        if (c.lo > 0n) e.jcond('jlt', 1, Number(c.lo), onFalse, 32);
        if (c.hi < (1n << BigInt(fieldInfo(c.field)!.bits)) - 1n) e.jcond('jgt', 1, Number(c.hi), onFalse, 32);
        e.jmp(onTrue);
        return;
      }
      e.jmp(onFalse);
      return;
    case 'mask':
      loadField(e, 1, c.field);
      e.alu('and', 1, Number(c.mask));
      e.jcond('jeq', 1, Number(c.value), onTrue, 32);
      e.jmp(onFalse);
      return;
    case 'inset': {
      const { decl, index } = ctx.sets.get(c.set)!;
      let keyAt = KEY;
      if (decl.prefix) {
        e.st('w', 10, KEY, decl.bits);
        keyAt = KEY + 4;
      }
      storeKey(e, c.field, decl.bytes, keyAt);
      e.mapRef(1, index);
      e.movr(2, 10);
      e.alu('add', 2, KEY);
      e.call('map_lookup_elem');
      e.jcond('jne', 0, 0, onTrue);
      e.jmp(onFalse);
      return;
    }
  }
}

/** reg = the field's value (host order). */
export function loadField(e: Emitter, reg: 1 | 2 | 3, field: string): void {
  const loc = fieldLoc(field)!;
  e.ldx('dw', reg, 10, SLOT[loc.slot]);
  if (loc.shift) e.alu('rsh', reg, loc.shift);
  // Slots hold clean values (be32 zero-extends), so only narrower fields need a mask.
  if (loc.mask <= 0x7fffffffn) e.alu('and', reg, Number(loc.mask));
}

function wideRange(e: Emitter, lo: bigint, hi: bigint, onTrue: Label, onFalse: Label): void {
  e.movBig(2, lo);
  if (lo === hi) { e.jcondr('jeq', 1, 2, onTrue); e.jmp(onFalse); return; }
  e.jcondr('jlt', 1, 2, onFalse);
  e.movBig(2, hi);
  e.jcondr('jgt', 1, 2, onFalse);
  e.jmp(onTrue);
}

/** An IPv6 prefix as masked compares of the four 32-bit words. */
function ip6Prefix(e: Emitter, field: string, lo: bigint, hi: bigint, onTrue: Label, onFalse: Label): void {
  const host = hi - lo;
  const base = field === 'ip6.src' ? 'IP6_SRC' : 'IP6_DST';
  for (let i = 0; i < 4; i++) {
    const shift = BigInt(96 - 32 * i);
    const mask = Number(((~host) >> shift) & 0xffffffffn) >>> 0;
    if (mask === 0) continue;
    const want = Number((lo >> shift) & 0xffffffffn) >>> 0;
    e.ldx('dw', 1, 10, SLOT[`${base}${i}` as SlotName]);
    if (mask !== 0xffffffff) e.alu('and', 1, mask | 0, 32);
    e.jcond('jne', 1, want | 0, onFalse, 32);
  }
  e.jmp(onTrue);
}

/** Write the field's value as a big-endian key of `bytes` bytes at r10 + at (r1-r3 clobbered). */
export function storeKey(e: Emitter, field: string, bytes: number, at: number): void {
  if (field === 'ip6.src' || field === 'ip6.dst') {
    const base = field === 'ip6.src' ? 'IP6_SRC' : 'IP6_DST';
    for (let i = 0; i < 4; i++) {
      e.ldx('dw', 1, 10, SLOT[`${base}${i}` as SlotName]);
      e.be(1, 32);
      e.stx('w', 10, at + 4 * i, 1);
    }
    return;
  }
  loadField(e, 1, field);
  if (bytes === 6) {
    // A MAC as three big-endian halfwords (the stack wants aligned stores).
    for (let i = 0; i < 3; i++) {
      e.movr(2, 1);
      e.alu('rsh', 2, 32 - 16 * i);
      e.be(2, 16);
      e.stx('h', 10, at + 2 * i, 2);
    }
    return;
  }
  if (bytes === 1) { e.stx('b', 10, at, 1); return; }
  e.be(1, bytes === 2 ? 16 : 32);
  e.stx(bytes === 2 ? 'h' : 'w', 10, at, 1);
}
