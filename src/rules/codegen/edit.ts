// Packet edits, mirroring src/rules/eval-edit.ts: field sets as 16-bit word rewrites with
// incremental checksum updates (RFC 1624), and push/pop/decap as "save the L2 header, move the
// packet start with bpf_xdp_adjust_head, write the L2 header back". Every access re-derives its
// pointer from r7 and checks it against data_end. A failed adjust leaves the packet as it was.
import type { Act } from '../ir.js';
import { Emitter, type Label, type Reg } from './emit.js';
import { flagBits, L2SAVE, SLOT, VAL } from './layout.js';
import { need } from './parse.js';

type Base = 'l2' | 'l3' | 'l4';
interface Word { base: Base; off: number; keep: number; set: number }
interface Csum { base: Base; off: number; udp?: boolean; when?: 'tcp' | 'udp' }

/** r3 = data + the base offset (a masked, bounded scalar); r4 clobbered. */
function ptr(e: Emitter, base: Base): void {
  if (base === 'l2') { e.movr(3, 7); return; }
  e.ldx('dw', 4, 10, base === 'l3' ? SLOT.L3OFF : SLOT.L4OFF);
  e.alu('and', 4, base === 'l3' ? 0x3f : 0x1ff);
  e.movr(3, 7);
  e.alur('add', 3, 4);
}

function fieldEdit(field: string, v: number): { words: Word[]; csums: Csum[] } {
  const W = (base: Base, off: number, set: number, keep = 0): Word => ({ base, off, keep, set });
  const ip4 = { base: 'l3' as const, off: 10 };
  const l4tcp: Csum = { base: 'l4', off: 16, when: 'tcp' };
  const l4udp: Csum = { base: 'l4', off: 6, udp: true, when: 'udp' };
  const hi = Math.floor(v / 65536), lo = v & 0xffff;
  switch (field) {
    case 'eth.dst': case 'eth.src': {
      const o = field === 'eth.dst' ? 0 : 6;
      const big = BigInt(v);
      return { words: [0, 1, 2].map((i) => W('l2', o + 2 * i, Number((big >> BigInt(32 - 16 * i)) & 0xffffn))), csums: [] };
    }
    case 'vlan.id': return { words: [W('l2', 14, v, 0xf000)], csums: [] };
    case 'vlan.pcp': return { words: [W('l2', 14, v << 13, 0x1fff)], csums: [] };
    case 'mpls.label': return { words: [W('l3', 0, v >>> 4), W('l3', 2, (v & 0xf) << 12, 0x0fff)], csums: [] };
    case 'mpls.ttl': return { words: [W('l3', 2, v, 0xff00)], csums: [] };
    case 'ip.ttl': return { words: [W('l3', 8, v << 8, 0x00ff)], csums: [ip4] };
    case 'ip.dscp': return { words: [W('l3', 0, v << 2, 0xff03)], csums: [ip4] };
    case 'ip.src': return { words: [W('l3', 12, hi), W('l3', 14, lo)], csums: [ip4, l4tcp, l4udp] };
    case 'ip.dst': return { words: [W('l3', 16, hi), W('l3', 18, lo)], csums: [ip4, l4tcp, l4udp] };
    case 'ip6.hoplimit': return { words: [W('l3', 6, v, 0xff00)], csums: [] };
    case 'tcp.sport': return { words: [W('l4', 0, v)], csums: [l4tcp] };
    case 'tcp.dport': return { words: [W('l4', 2, v)], csums: [l4tcp] };
    case 'udp.sport': return { words: [W('l4', 0, v)], csums: [l4udp] };
    case 'udp.dport': return { words: [W('l4', 2, v)], csums: [l4udp] };
  }
  throw new Error(`internal: no edit for ${field}`);
}

/** set FIELD VALUE: rewrite words, r5 accumulates sum(~old + new) for the checksums. */
function emitSet(e: Emitter, field: string, value: bigint): void {
  const { words, csums } = fieldEdit(field, Number(value));
  const skip = e.label();
  e.mov(5, 0);
  for (const w of words) {
    ptr(e, w.base);
    need(e, 3, w.off + 2, skip);
    e.ldx('h', 1, 3, w.off);
    e.be(1, 16);
    e.movr(2, 1);
    e.alu('and', 2, w.keep);
    e.alu('or', 2, w.set);
    e.movr(4, 2);
    e.be(4, 16);
    e.stx('h', 3, w.off, 4);
    e.alu('xor', 1, 0xffff);
    e.alur('add', 5, 1);
    e.alur('add', 5, 2);
  }
  for (const c of csums) {
    const next = e.label();
    if (c.when) {
      e.ldx('dw', 1, 10, SLOT.FLAGS);
      e.alu('and', 1, flagBits(c.when));
      e.jcond('jeq', 1, 0, next);
    }
    ptr(e, c.base);
    need(e, 3, c.off + 2, next);
    e.ldx('h', 1, 3, c.off);
    e.be(1, 16);
    if (c.udp) e.jcond('jeq', 1, 0, next); // UDP checksum 0: none to fix
    e.alu('xor', 1, 0xffff);
    e.alur('add', 1, 5);
    for (let i = 0; i < 2; i++) {
      e.movr(2, 1);
      e.alu('rsh', 2, 16);
      e.alu('and', 1, 0xffff);
      e.alur('add', 1, 2);
    }
    e.alu('xor', 1, 0xffff);
    e.alu('and', 1, 0xffff);
    if (c.udp) {
      const nz = e.label();
      e.jcond('jne', 1, 0, nz);
      e.mov(1, 0xffff);
      e.bind(nz);
    }
    e.be(1, 16);
    e.stx('h', 3, c.off, 1);
    e.bind(next);
  }
  e.bind(skip);
}

/** Copy n bytes between two pointers (constant length), in 8/4/2/1-byte pieces; r1 clobbered. */
function copy(e: Emitter, dst: Reg, dstOff: number, src: Reg, srcOff: number, n: number): void {
  let o = 0;
  for (const [size, k] of [['dw', 8], ['w', 4], ['h', 2], ['b', 1]] as const) {
    while (n - o >= k) { e.ldx(size, 1, src, srcOff + o); e.stx(size, dst, dstOff + o, 1); o += k; }
  }
}

function reload(e: Emitter): void {
  e.ldx('w', 7, 6, 0);
  e.ldx('w', 8, 6, 4);
}

/**
 * Save the first l2 bytes, move the packet start by `delta` (a constant, or code that sets r2),
 * write them back at the new start, then run `after` with data + l2 + extra known in bounds.
 */
function moveHead(e: Emitter, l2: number, delta: number | (() => void), fail: Label, extra = 0, after?: () => void): void {
  need(e, 7, l2, fail);
  copy(e, 10, L2SAVE, 7, 0, l2);
  if (typeof delta === 'number') e.mov(2, delta); else delta();
  e.movr(1, 6);
  e.call('xdp_adjust_head');
  reload(e);
  e.jcond('jne', 0, 0, fail);
  need(e, 7, l2 + extra, fail);
  copy(e, 7, 0, 10, L2SAVE, l2);
  after?.();
}

/** Emit a variant per L2 length (14, 18 or 22 bytes: 0, 1 or 2 VLAN tags). */
function perL2(e: Emitter, body: (l2: number) => void, done: Label): void {
  const v18 = e.label(), v22 = e.label();
  e.ldx('dw', 1, 10, SLOT.L3OFF);
  e.jcond('jeq', 1, 18, v18);
  e.jcond('jeq', 1, 22, v22);
  body(14); e.jmp(done);
  e.bind(v18); body(18); e.jmp(done);
  e.bind(v22); body(22); e.jmp(done);
}

/** *(u16 *)(data + off) = imm, big-endian (r1 clobbered). */
function store16(e: Emitter, off: number, imm: number): void {
  e.mov(1, imm);
  store16r(e, off, 1);
}

/** *(u16 *)(data + off) = reg, big-endian (reg is swapped in place). */
function store16r(e: Emitter, off: number, reg: Reg): void {
  e.be(reg, 16);
  e.stx('h', 7, off, reg);
}

export function emitEdit(e: Emitter, a: Act): void {
  const done = e.label();
  switch (a.t) {
    case 'set': emitSet(e, a.field, a.value); break;
    case 'push-vlan':
      moveHead(e, 12, -4, done, 4, () => { store16(e, 12, 0x8100); store16(e, 14, a.id); });
      break;
    case 'pop-vlan':
      moveHead(e, 12, 4, done);
      break;
    case 'push-mpls': {
      const base = ((a.label << 12) | (a.tc << 9) | a.ttl) >>> 0;
      // Bottom of stack unless the packet already has MPLS; r9 survives the helper call.
      const hasMpls = e.label();
      e.movBig(9, BigInt(base));
      e.ldx('dw', 1, 10, SLOT.FLAGS);
      e.alu('and', 1, flagBits('mpls'));
      e.jcond('jne', 1, 0, hasMpls);
      e.alu('or', 9, 0x100);
      e.bind(hasMpls);
      perL2(e, (l2) => moveHead(e, l2, -4, done, 4, () => {
        store16(e, l2 - 2, 0x8847);
        e.movr(1, 9);
        e.be(1, 32);
        e.stx('w', 7, l2, 1);
      }), done);
      break;
    }
    case 'pop-mpls':
      e.ldx('dw', 9, 10, SLOT.MPLS);
      e.alu('and', 9, 0x100);
      perL2(e, (l2) => moveHead(e, l2, 4, done, 0, () => popMplsType(e, l2)), done);
      break;
    case 'decap-vxlan':
      e.ldx('dw', 2, 10, SLOT.L4OFF);
      e.alu('and', 2, 0x1ff);
      e.alu('add', 2, 16);
      e.movr(1, 6);
      e.call('xdp_adjust_head');
      reload(e);
      break;
    case 'decap-gre': emitGre(e, done); break;
    default: break;
  }
  e.bind(done);
}

/** After pop mpls: when the popped label was bottom of stack (r9 != 0), the ethertype comes
 * from the payload's first nibble: 6 -> IPv6, anything else -> IPv4. */
function popMplsType(e: Emitter, l2: number): void {
  const end = e.label(), write = e.label();
  e.jcond('jeq', 9, 0, end);
  e.mov(5, 0x0800);
  need(e, 7, l2 + 1, write);
  e.ldx('b', 1, 7, l2);
  e.alu('rsh', 1, 4);
  e.jcond('jne', 1, 6, write);
  e.mov(5, 0x86dd);
  e.bind(write);
  store16r(e, l2 - 2, 5);
  e.bind(end);
}

function emitGre(e: Emitter, done: Label): void {
  ptr(e, 'l4');
  need(e, 3, 4, done);
  e.ldx('h', 1, 3, 0);
  e.be(1, 16);
  e.ldx('h', 5, 3, 2);
  e.be(5, 16);
  e.stx('dw', 10, VAL + 8, 5);
  // GRE header length: 4, plus 4 for each of checksum (C), key (K), sequence (S).
  e.ldx('dw', 4, 10, SLOT.L4OFF);
  e.alu('and', 4, 0x1ff);
  e.alu('add', 4, 4);
  for (const bit of [0x8000, 0x2000, 0x1000]) {
    const no = e.label();
    e.movr(2, 1);
    e.alu('and', 2, bit);
    e.jcond('jeq', 2, 0, no);
    e.alu('add', 4, 4);
    e.bind(no);
  }
  e.stx('dw', 10, VAL, 4);
  const l3 = e.label();
  e.jcond('jne', 5, 0x6558, l3);
  // Ethernet payload: drop everything before the inner frame.
  e.movr(2, 4);
  e.movr(1, 6);
  e.call('xdp_adjust_head');
  reload(e);
  e.jmp(done);
  // L3 payload: keep the outer L2 header, drop outer IP + GRE, set the ethertype.
  e.bind(l3);
  e.movr(3, 7);
  e.alur('add', 3, 4);
  e.jcondr('jgt', 3, 8, done);
  perL2(e, (l2) => {
    const delta = (): void => {
      e.ldx('dw', 2, 10, VAL);
      e.alu('and', 2, 0x3ff);
      e.alu('sub', 2, l2);
    };
    moveHead(e, l2, delta, done, 0, () => {
      e.ldx('dw', 1, 10, VAL + 8);
      store16r(e, l2 - 2, 1);
    });
  }, done);
}
