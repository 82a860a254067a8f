// The Wasm core's module text: one exported function, run(lim, rb), a loop that dispatches on the
// opcode byte with br_table to the cases in ops.mjs, in the arena it imports. It starts from the
// parameter block of the core block at rb (registers there too) (pc,
// n, frame depth, cache ways; see layout.mjs), runs until the program exits from the main
// frame or a helper stops it (EXIT), an instruction it leaves to the interpreter's loop comes up
// (STEP: pc is that instruction, n does not count it), the budget `lim` would be exceeded (OVER),
// a helper moved a window (REFRESH: continue at pc) or faulted (FAULT), and writes pc and n
// back. The ways are read from the parameter block as used; hit counts and dirty flags are
// counted there, from 0 in every run.
import { LAYOUT, STATUS, paramAt } from './layout.mjs';
import { OPS } from './ops.mjs';

/** Counted in the parameter block during a run, from 0. */
const COUNTS = ['hp', 'hs', 'ho', 'hc', 'pd', 'od'];
const get = (p) => `(i32.load offset=${paramAt(p)} (local.get $rb))`;

export function coreWat() {
  const codes = [...OPS.keys()].sort((a, b) => a - b);
  const labels = Array.from({ length: 256 }, (_, k) => (OPS.has(k) ? `$c${k}` : '$step'));
  let dispatch = `(br_table ${labels.join(' ')} $step (i32.and (local.get $w) (i32.const 255)))`;
  for (const op of codes) dispatch = `(block $c${op}\n${dispatch})\n;; 0x${op.toString(16)}\n${OPS.get(op)} (br $next)`;
  const locals = ['pc', 'n', 'code', 'w', 'i', 'd', 's', 'o', 'x', 'k', 'addr', 'status'];
  return `(module
 (import "arena" "memory" (memory 1))
 (import "host" "call" (func $hcall (param i32 i32) (result i32)))
 (func $bswap16 (param $v i32) (result i32)
  (i32.or (i32.shl (i32.and (local.get $v) (i32.const 0xff)) (i32.const 8)) (i32.and (i32.shr_u (local.get $v) (i32.const 8)) (i32.const 0xff))))
 (func $bswap32 (param $v i32) (result i32)
  (i32.or (i32.and (i32.rotl (local.get $v) (i32.const 8)) (i32.const 0x00ff00ff)) (i32.and (i32.rotr (local.get $v) (i32.const 8)) (i32.const 0xff00ff00))))
 (func $bswap64 (param $v i64) (result i64)
  (i64.or (i64.shl (i64.extend_i32_u (call $bswap32 (i32.wrap_i64 (local.get $v)))) (i64.const 32))
          (i64.extend_i32_u (call $bswap32 (i32.wrap_i64 (i64.shr_u (local.get $v) (i64.const 32)))))))
 (func (export "run") (param $lim i32) (param $rb i32) (result i32)
  ${locals.map((l) => `(local $${l} i32)`).join(' ')} (local $a i64) (local $i64 i64) (local $i32 i32)
  ${['pc', 'n', 'code'].map((p) => `(local.set $${p} ${get(p)})`).join(' ')}
  ${COUNTS.map((p) => `(i32.store offset=${paramAt(p)} (local.get $rb) (i32.const 0))`).join(' ')}
  (if ${get('reset')} (then
    (i64.store (local.get $rb) (i64.const 0))
    ${[1, 2, 3, 4, 5].map((r) => `(i64.store offset=${8 * r} (local.get $rb) (i64.load offset=${LAYOUT.ARGS + 8 * (r - 1)} (local.get $rb)))`).join(' ')}
    ${[6, 7, 8, 9].map((r) => `(i64.store offset=${8 * r} (local.get $rb) (i64.const 0))`).join(' ')}
    (i64.store offset=80 (local.get $rb) (i64.or (i64.extend_i32_u ${get('r10lo')}) (i64.shl (i64.extend_i32_u ${get('r10hi')}) (i64.const 32))))))
  (block $out
   (loop $top
    (block $step
     (block $next
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (if (i32.gt_s (local.get $n) (local.get $lim))
       (then (local.set $n (i32.sub (local.get $n) (i32.const 1))) (local.set $status (i32.const ${STATUS.OVER})) (br $out)))
      (local.set $i (i32.add (local.get $code) (i32.shl (local.get $pc) (i32.const 3))))
      (local.set $w (i32.load (local.get $i)))
      (local.set $d (i32.add (local.get $rb) (i32.and (i32.shr_u (local.get $w) (i32.const 5)) (i32.const 0x78))))
      (local.set $s (i32.add (local.get $rb) (i32.and (i32.shr_u (local.get $w) (i32.const 9)) (i32.const 0x78))))
      ${dispatch})
     (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
     (br $top))
    ;; $step: the loop runs this instruction (and counts it)
    (local.set $n (i32.sub (local.get $n) (i32.const 1)))
    (local.set $status (i32.const ${STATUS.STEP}))))
  (i32.store offset=${paramAt('pc')} (local.get $rb) (local.get $pc))
  (i32.store offset=${paramAt('n')} (local.get $rb) (local.get $n))
  (local.get $status)))
`;
}
