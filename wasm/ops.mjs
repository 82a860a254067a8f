// The Wasm core's cases: one WAT body per opcode it runs, keyed by the full opcode byte. Each
// body ends by falling through to the next instruction (the caller appends `br $next`); a body
// branches to $step to leave the instruction to the interpreter's loop (src/vm/loop.ts), which
// is the reference: the core only ever runs an instruction exactly as the loop would.
import { CALL, STATUS, paramAt } from './layout.mjs';

// Locals: $w the slot's first word, $i the slot's address, $d/$s the arena addresses of dst/src.

const IMM = '(i32.load offset=4 (local.get $i))';
const K64 = `(i64.extend_i32_s ${IMM})`;
const OFF = '(i32.shr_s (local.get $w) (i32.const 16))';
const DST = '(i64.load (local.get $d))';
const SRC = '(i64.load (local.get $s))';
const DST32 = '(i32.load (local.get $d))';
const SRC32 = '(i32.load (local.get $s))';
const set64 = (v) => `(i64.store (local.get $d) ${v})`;
const set32 = (v) => `(i64.store (local.get $d) (i64.extend_i32_u ${v}))`;
const jump = (cond, by = OFF) => `(if ${cond} (then (local.set $pc (i32.add (local.get $pc) ${by}))))`;
// The ways' parameters are read from the parameter block when used (as cheap as a spilled
// local); hit counts and dirty flags are counted there.
const G = (name) => `(i32.load offset=${paramAt(name)} (local.get $rb))`;
const inc = (name) => `(i32.store offset=${paramAt(name)} (local.get $rb) (i32.add ${G(name)} (i32.const 1)))`;
const flag = (name) => `(i32.store offset=${paramAt(name)} (local.get $rb) (i32.const 1))`;

const ops = new Map();

// ALU64 and ALU (32-bit): the operation code (opcode >> 4) to the Wasm instruction.
const ALU = { 0x0: 'add', 0x1: 'sub', 0x2: 'mul', 0x4: 'or', 0x5: 'and', 0x6: 'shl', 0x7: 'shr_u', 0xa: 'xor', 0xc: 'shr_s' };
for (const [code, name] of Object.entries(ALU)) {
  const c = Number(code) << 4;
  ops.set(c | 0x07, set64(`(i64.${name} ${DST} ${K64})`)); // shifts: Wasm masks the count by 63, as BPF does
  ops.set(c | 0x0f, set64(`(i64.${name} ${DST} ${SRC})`));
  ops.set(c | 0x04, set32(`(i32.${name} ${DST32} ${IMM})`)); // and by 31
  ops.set(c | 0x0c, set32(`(i32.${name} ${DST32} ${SRC32})`));
}
ops.set(0x87, set64(`(i64.sub (i64.const 0) ${DST})`));
ops.set(0x84, set32(`(i32.sub (i32.const 0) ${DST32})`));
ops.set(0xb7, set64(K64));
ops.set(0xb4, set32(IMM));
// mov reg, or movsx when off is the source width (8, 16, 32; into 32 bits only 8 and 16)
const OFFV = '(i32.shr_s (local.get $w) (i32.const 16))';
ops.set(0xbf, `(block $w (block $s32 (block $s16 (block $s8 (block $mov
    (br_table $mov $step $step $step $step $step $step $step $s8 $step $step $step $step $step $step $step $s16 $step $step $step $step $step $step $step $step $step $step $step $step $step $step $step $s32 $step
      (select ${OFFV} (i32.const 1) (i32.le_u ${OFFV} (i32.const 32)))))
    ${set64(SRC)} (br $w)) ${set64(`(i64.extend8_s ${SRC})`)} (br $w)) ${set64(`(i64.extend16_s ${SRC})`)} (br $w)) ${set64(`(i64.extend32_s ${SRC})`)})`);
ops.set(0xbc, `(block $w (block $s16 (block $s8 (block $mov
    (br_table $mov $step $step $step $step $step $step $step $s8 $step $step $step $step $step $step $step $s16 $step
      (select ${OFFV} (i32.const 1) (i32.le_u ${OFFV} (i32.const 16)))))
    ${set32(SRC32)} (br $w)) ${set32(`(i32.extend8_s ${SRC32})`)} (br $w)) ${set32(`(i32.extend16_s ${SRC32})`)})`);
// le (truncate on this little-endian layout), be and bswap (swap); the width is the immediate
const byWidth = (w16, w32, w64) => `(block $w (block $w64 (block $w32 (block $w16
    (br_table $w16 $w32 $w64 $step (i32.add (i32.eq ${IMM} (i32.const 32)) (i32.mul (i32.eq ${IMM} (i32.const 64)) (i32.const 2))))
    ) ${w16} (br $w)) ${w32} (br $w)) ${w64})`;
const stepUnless16 = `(br_if $step (i32.and (i32.ne ${IMM} (i32.const 16)) (i32.and (i32.ne ${IMM} (i32.const 32)) (i32.ne ${IMM} (i32.const 64)))))`;
ops.set(0xd4, `${stepUnless16} ${byWidth(set32(`(i32.and ${DST32} (i32.const 0xffff))`), set32(DST32), '')}`);
const SWAP = byWidth(set32(`(call $bswap16 ${DST32})`), set32(`(call $bswap32 ${DST32})`), set64(`(call $bswap64 ${DST})`));
ops.set(0xdc, `${stepUnless16} ${SWAP}`);
ops.set(0xd7, `${stepUnless16} ${SWAP}`);

// div and mod (off 1: signed), as RFC 9669 defines them where Wasm would trap: x / 0 = 0,
// x % 0 = x (32-bit: its low word, zero-extended), INT_MIN / -1 = INT_MIN, INT_MIN % -1 = 0.
const signed = '(i32.eq (i32.shr_s (local.get $w) (i32.const 16)) (i32.const 1))';
for (const [t, op, set, dst, kImm, kReg, min] of [
  ['i64', 0x07, set64, DST, K64, SRC, '(i64.const 0x8000000000000000)'],
  ['i32', 0x04, set32, DST32, IMM, SRC32, '(i32.const 0x80000000)'],
]) {
  for (const [cls, src] of [[op, kImm], [op | 0x08, kReg]]) {
    const div = `(local.set $${t} ${src})
      (if (${t}.eqz (local.get $${t})) (then ${set(`(${t}.const 0)`)})
        (else (if ${signed}
          (then (if (i32.and (${t}.eq (local.get $${t}) (${t}.const -1)) (${t}.eq ${dst} ${min}))
            (then ${set(min)}) (else ${set(`(${t}.div_s ${dst} (local.get $${t}))`)})))
          (else ${set(`(${t}.div_u ${dst} (local.get $${t}))`)}))))`;
    const mod = `(local.set $${t} ${src})
      (if (${t}.eqz (local.get $${t})) (then ${t === 'i32' ? set(dst) : ''})
        (else (if ${signed} (then ${set(`(${t}.rem_s ${dst} (local.get $${t}))`)}) (else ${set(`(${t}.rem_u ${dst} (local.get $${t}))`)}))))`;
    ops.set(0x30 | cls, div);
    ops.set(0x90 | cls, mod);
  }
}

// JMP (64-bit compare) and JMP32 (the low words): condition code to Wasm comparison.
const CMP = { 0x1: 'eq', 0x2: 'gt_u', 0x3: 'ge_u', 0x5: 'ne', 0x6: 'gt_s', 0x7: 'ge_s', 0xa: 'lt_u', 0xb: 'le_u', 0xc: 'lt_s', 0xd: 'le_s' };
for (const [code, name] of Object.entries(CMP)) {
  const c = Number(code) << 4;
  ops.set(c | 0x05, jump(`(i64.${name} ${DST} ${K64})`));
  ops.set(c | 0x0d, jump(`(i64.${name} ${DST} ${SRC})`));
  ops.set(c | 0x06, jump(`(i32.${name} ${DST32} ${IMM})`));
  ops.set(c | 0x0e, jump(`(i32.${name} ${DST32} ${SRC32})`));
}
ops.set(0x45, jump(`(i64.ne (i64.and ${DST} ${K64}) (i64.const 0))`));
ops.set(0x4d, jump(`(i64.ne (i64.and ${DST} ${SRC}) (i64.const 0))`));
ops.set(0x46, jump(`(i32.ne (i32.and ${DST32} ${IMM}) (i32.const 0))`));
ops.set(0x4e, jump(`(i32.ne (i32.and ${DST32} ${SRC32}) (i32.const 0))`));
ops.set(0x05, `(local.set $pc (i32.add (local.get $pc) ${OFF}))`);
ops.set(0x06, `(local.set $pc (i32.add (local.get $pc) ${IMM}))`); // gotol
// call helper (src 0): made by the host (the interpreter's call path) from inside the loop; it
// may decline (copies in use: the loop makes it then), stop the program, move a window (the
// ways are filled again outside), or fault (the host keeps the error; the loop counted the
// call). Local calls and callx step.
ops.set(0x85, `(br_if $step (i32.and (local.get $w) (i32.const 0xf000)))
    (local.set $k (call $hcall (local.get $pc) (local.get $n)))
    (br_if $next (i32.eq (local.get $k) (i32.const ${CALL.DONE})))
    (br_if $step (i32.eq (local.get $k) (i32.const ${CALL.DECLINED})))
    (if (i32.eq (local.get $k) (i32.const ${CALL.STOPPED})) (then (local.set $status (i32.const ${STATUS.EXIT})) (br $out)))
    (if (i32.eq (local.get $k) (i32.const ${CALL.MOVED}))
      (then (local.set $pc (i32.add (local.get $pc) (i32.const 1))) (local.set $status (i32.const ${STATUS.REFRESH})) (br $out)))
    (local.set $status (i32.const ${STATUS.FAULT})) (br $out)`);
// exit: the end of the run in the main program; a subprogram's return is the loop's (frames)
ops.set(0x95, `(br_if $step ${G('depth')}) (local.set $status (i32.const ${STATUS.EXIT})) (br $out)`);
// lddw: the high word is the next slot's immediate
ops.set(0x18, `${set64(`(i64.or (i64.extend_i32_u ${IMM}) (i64.shl (i64.extend_i32_u (i32.load offset=12 (local.get $i))) (i64.const 32)))`)}
  (local.set $pc (i32.add (local.get $pc) (i32.const 1)))`);

/**
 * Find an access of `size` bytes at (base register) + off in the cache ways, leaving its core
 * address in $addr, or branch to $step (the loop then finds it in Memory, or faults). The same
 * test as the loop's `view`: high word = the way's tag, low word non-negative, inside the window
 * (the write window for a store). A context hit of a 4- or 8-byte load at a pointer field loads
 * the pointer (from Memory's tables, in the arena) and ends the instruction.
 */
function access(base, size, write, ctxPtr = false) {
  // Tags are unique per region, so the first way whose tag matches decides: inside its window
  // a hit, else a step. (A cleared way has tag 0 and an empty window: it only ever steps.)
  const way = (t, l, h, b, hits, dirty, rest) => `(if (i32.eq (local.get $x) ${G(t)})
      (then
        (br_if $step (i32.or (i32.lt_s (local.get $o) ${G(l)}) (i32.gt_s (local.get $o) (i32.sub ${G(h)} (i32.const ${size})))))
        (local.set $addr (i32.add ${G(b)} (local.get $o))) ${inc(hits)}${dirty ? ` ${flag(dirty)}` : ''})
      (else ${rest}))`;
  const ctxPtrLoad = ctxPtr ? `(if (i32.lt_u (local.get $o) ${G('cfl')}) (then (if (i32.load8_u (i32.add ${G('cf')} (local.get $o)))
          (then ${set64(`(i64.or (i64.extend_i32_u (i32.load (i32.add ${G('clo')} (i32.shl (local.get $o) (i32.const 2)))))
            (i64.shl (i64.extend_i32_u (i32.load (i32.add ${G('chi')} (i32.shl (local.get $o) (i32.const 2))))) (i64.const 32)))`)} (br $next)))))` : '';
  const ctx = write ? '(br $step)' : `(if (i32.eq (local.get $x) ${G('ct')})
      (then
        (br_if $step (i32.or (i32.lt_s (local.get $o) ${G('cl')}) (i32.gt_s (local.get $o) (i32.sub ${G('ch')} (i32.const ${size})))))
        ${inc('hc')}
        ${ctxPtrLoad}
        (local.set $addr (i32.add ${G('cb')} (local.get $o))))
      (else (br $step)))`;
  const other = way('ot', 'ol', write ? 'owh' : 'oh', 'ob', 'ho', write ? 'od' : '', ctx);
  const stack = way('st', 'sl', write ? 'swh' : 'sh', 'sb', 'hs', '', other);
  return `(local.set $a (i64.load (local.get ${base})))
    (local.set $o (i32.wrap_i64 (local.get $a)))
    (br_if $step (i32.lt_s (local.get $o) (i32.const 0)))
    (local.set $x (i32.wrap_i64 (i64.shr_u (local.get $a) (i64.const 32))))
    (local.set $o (i32.add (local.get $o) ${OFF}))
    ${way('pt', 'pl', write ? 'pwh' : 'ph', 'pb', 'hp', write ? 'pd' : '', stack)}`;
}
// LDX: dst = *(size *)(src + off), zero-extended
ops.set(0x61, `${access('$s', 4, false, true)} ${set64('(i64.load32_u (local.get $addr))')}`);
ops.set(0x69, `${access('$s', 2, false)} ${set64('(i64.load16_u (local.get $addr))')}`);
ops.set(0x71, `${access('$s', 1, false)} ${set64('(i64.load8_u (local.get $addr))')}`);
ops.set(0x79, `${access('$s', 8, false, true)} ${set64('(i64.load (local.get $addr))')}`);
// LDXS: dst = *(size *)(src + off), sign-extended (a 4-byte load of a context pointer field
// reads the pointer, as the loop does)
ops.set(0x81, `${access('$s', 4, false, true)} ${set64('(i64.load32_s (local.get $addr))')}`);
ops.set(0x89, `${access('$s', 2, false)} ${set64('(i64.load16_s (local.get $addr))')}`);
ops.set(0x91, `${access('$s', 1, false)} ${set64('(i64.load8_s (local.get $addr))')}`);
// ST: *(size *)(dst + off) = imm; STX: = src
ops.set(0x62, `${access('$d', 4, true)} (i32.store (local.get $addr) ${IMM})`);
ops.set(0x6a, `${access('$d', 2, true)} (i32.store16 (local.get $addr) ${IMM})`);
ops.set(0x72, `${access('$d', 1, true)} (i32.store8 (local.get $addr) ${IMM})`);
ops.set(0x7a, `${access('$d', 8, true)} (i64.store (local.get $addr) ${K64})`);
ops.set(0x63, `${access('$d', 4, true)} (i32.store (local.get $addr) ${SRC32})`);
ops.set(0x6b, `${access('$d', 2, true)} (i32.store16 (local.get $addr) ${SRC32})`);
ops.set(0x73, `${access('$d', 1, true)} (i32.store8 (local.get $addr) ${SRC32})`);
ops.set(0x7b, `${access('$d', 8, true)} (i64.store (local.get $addr) ${SRC})`);

// Atomic add, or, and, xor (| 0x01: fetch the old value into src) on 32- and 64-bit words; the
// interpreter is single-threaded, so a plain load, compute and store. xchg and cmpxchg step.
// The operation is checked before the access, so a stepped instruction is not counted twice.
const RMW = { 0x00: 'add', 0x40: 'or', 0x50: 'and', 0xa0: 'xor' };
for (const [op, t, size, load] of [[0xc3, 'i32', 4, 'i64.load32_u'], [0xdb, 'i64', 8, 'i64.load']]) {
  const old = t === 'i32' ? '(i32.wrap_i64 (local.get $a))' : '(local.get $a)';
  const src = t === 'i32' ? SRC32 : SRC;
  let apply = '';
  for (const [k, name] of Object.entries(RMW).reverse()) {
    const store = `(${t}.store (local.get $addr) (${t}.${name} ${old} ${src}))`;
    apply = apply === '' ? store : `(if (i32.eq (local.get $k) (i32.const ${k})) (then ${store}) (else ${apply}))`;
  }
  ops.set(op, `(local.set $k (i32.and ${IMM} (i32.const -2)))
    (br_if $step (i32.eqz (i32.or (i32.or (i32.eqz (local.get $k)) (i32.eq (local.get $k) (i32.const 0x40)))
                                 (i32.or (i32.eq (local.get $k) (i32.const 0x50)) (i32.eq (local.get $k) (i32.const 0xa0))))))
    ${access('$d', size, true)}
    (local.set $a (${load} (local.get $addr)))
    ${apply}
    (if (i32.and ${IMM} (i32.const 1)) (then (i64.store (local.get $s) (local.get $a))))`);
}

export const OPS = ops;
