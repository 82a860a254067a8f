// The interpreter's hot loop: one `switch` on the full opcode byte, one case per opcode.
// The common operations are written here so V8 compiles the whole loop as one function (a
// jump table, registers in one Int32Array, fields pre-decoded into typed arrays); the rare or
// long ones (division, byte swaps, sign-extending moves, atomics, legacy packet loads) go to
// the per-class files (alu64.ts, alu32.ts, atomic.ts, mem.ts). Register operands are indexes
// into R (register number times 2: low word at R[i], high word at R[i + 1]).
import { fail } from '../diag/index.js';
import { mul64, neg64, lsh64, rsh64, arsh64, ult64, slt64 } from '../num/index.js';
import { alu32 } from './alu32.js';
import { alu64 } from './alu64.js';
import { atomic } from './atomic.js';
import type { Frames } from './call.js';
import { ctxLoad, loadPacket } from './mem.js';
import { CTX, type Memory } from './memory.js';
import type { Program } from './program.js';

/** What the loop needs from its interpreter besides registers, program and memory. */
export interface LoopHost {
  /** Helper calls and BPF-to-BPF calls; returns the next slot. */
  call(op: number, pc: number): number;
  /** Set by a helper's stop(). */
  stopped: boolean;
  /** Where the loop paused when it reached `stop` below the budget; -1 when the program ended. */
  pausedAt: number;
  /** The count of executed instructions when a fault ended the loop. */
  executed: number;
  overBudget(pc: number): never;
}

/**
 * Run from slot `pc` with `n` instructions already executed (0 and 0 for a run; the compiled
 * tier resumes here near the budget's end, the Wasm core for one instruction) until exit, or
 * until `stop` instructions have run (stop <= budget); returns the instructions executed. At
 * `stop` below the budget it sets host.pausedAt to the next slot; at the budget it faults.
 */
export function execute(host: LoopHost, R: Int32Array, P: Program, mem: Memory, frames: Frames, budget: number, hits: Uint32Array | null, pc: number, n: number, stop: number): number {
  // Loop-carried counters as int32 (the budget is at most 2^31 - 1) so V8 keeps them untagged.
  const C = P.code, tb = mem.tables, lim = stop | 0;
  pc |= 0; n |= 0;
  host.pausedAt = -1;
  try {
    for (;;) {
      if ((n = (n + 1) | 0) > lim) {
        n--;
        if (n >= budget) host.overBudget(pc);
        host.pausedAt = pc;
        return n;
      }
      if (hits !== null) hits[pc]++;
      // One word holds opcode, registers and offset; the next the immediate (see program.ts).
      const i = pc << 1, w = C[i], op = w & 0xff, d = (w >> 7) & 0x1e, s = (w >> 11) & 0x1e;
      switch (op) {
        // ALU64, immediate operand (sign-extended to 64 bits)
        case 0x07: { const k = C[i + 1], a = R[d], lo = (a + k) | 0; R[d] = lo; R[d + 1] = (R[d + 1] + (k >> 31) + ((lo >>> 0) < (a >>> 0) ? 1 : 0)) | 0; break; }
        case 0x17: { const k = C[i + 1], a = R[d]; R[d] = (a - k) | 0; R[d + 1] = (R[d + 1] - (k >> 31) - ((a >>> 0) < (k >>> 0) ? 1 : 0)) | 0; break; }
        case 0x27: { const k = C[i + 1]; mul64(R, d, R[d], R[d + 1], k, k >> 31); break; }
        case 0x47: { const k = C[i + 1]; R[d] |= k; R[d + 1] |= k >> 31; break; }
        case 0x57: { const k = C[i + 1]; R[d] &= k; R[d + 1] &= k >> 31; break; }
        case 0x67: lsh64(R, d, R[d], R[d + 1], C[i + 1]); break;
        case 0x77: rsh64(R, d, R[d], R[d + 1], C[i + 1]); break;
        case 0xc7: arsh64(R, d, R[d], R[d + 1], C[i + 1]); break;
        case 0x87: neg64(R, d, R[d], R[d + 1]); break;
        case 0xa7: { const k = C[i + 1]; R[d] ^= k; R[d + 1] ^= k >> 31; break; }
        case 0xb7: { const k = C[i + 1]; R[d] = k; R[d + 1] = k >> 31; break; }
        case 0x37: case 0x97: case 0xd7: { const k = C[i + 1]; alu64(R, op >> 4, d, k, k >> 31, w >> 16); break; }
        // ALU64, register operand
        case 0x0f: { const a = R[d], lo = (a + R[s]) | 0; R[d] = lo; R[d + 1] = (R[d + 1] + R[s + 1] + ((lo >>> 0) < (a >>> 0) ? 1 : 0)) | 0; break; }
        case 0x1f: { const a = R[d], b = R[s]; R[d] = (a - b) | 0; R[d + 1] = (R[d + 1] - R[s + 1] - ((a >>> 0) < (b >>> 0) ? 1 : 0)) | 0; break; }
        case 0x2f: mul64(R, d, R[d], R[d + 1], R[s], R[s + 1]); break;
        case 0x4f: R[d] |= R[s]; R[d + 1] |= R[s + 1]; break;
        case 0x5f: R[d] &= R[s]; R[d + 1] &= R[s + 1]; break;
        case 0x6f: lsh64(R, d, R[d], R[d + 1], R[s]); break;
        case 0x7f: rsh64(R, d, R[d], R[d + 1], R[s]); break;
        case 0xcf: arsh64(R, d, R[d], R[d + 1], R[s]); break;
        case 0xaf: R[d] ^= R[s]; R[d + 1] ^= R[s + 1]; break;
        case 0xbf: // mov, or movsx when off is the source width
          if (w >> 16 === 0) { R[d] = R[s]; R[d + 1] = R[s + 1]; } else alu64(R, 0xb, d, R[s], R[s + 1], w >> 16);
          break;
        case 0x3f: case 0x9f: alu64(R, op >> 4, d, R[s], R[s + 1], w >> 16); break;
        // ALU (32-bit), immediate operand; results are zero-extended
        case 0x04: R[d] = (R[d] + C[i + 1]) | 0; R[d + 1] = 0; break;
        case 0x14: R[d] = (R[d] - C[i + 1]) | 0; R[d + 1] = 0; break;
        case 0x24: R[d] = Math.imul(R[d], C[i + 1]); R[d + 1] = 0; break;
        case 0x44: R[d] |= C[i + 1]; R[d + 1] = 0; break;
        case 0x54: R[d] &= C[i + 1]; R[d + 1] = 0; break;
        case 0x64: R[d] <<= C[i + 1] & 31; R[d + 1] = 0; break;
        case 0x74: R[d] = R[d] >>> (C[i + 1] & 31); R[d + 1] = 0; break;
        case 0xc4: R[d] >>= C[i + 1] & 31; R[d + 1] = 0; break;
        case 0x84: R[d] = -R[d] | 0; R[d + 1] = 0; break;
        case 0xa4: R[d] ^= C[i + 1]; R[d + 1] = 0; break;
        case 0xb4: R[d] = C[i + 1]; R[d + 1] = 0; break;
        case 0x34: case 0x94: case 0xd4: case 0xdc: alu32(R, op, d, C[i + 1], w >> 16, C[i + 1]); break;
        // ALU (32-bit), register operand
        case 0x0c: R[d] = (R[d] + R[s]) | 0; R[d + 1] = 0; break;
        case 0x1c: R[d] = (R[d] - R[s]) | 0; R[d + 1] = 0; break;
        case 0x2c: R[d] = Math.imul(R[d], R[s]); R[d + 1] = 0; break;
        case 0x4c: R[d] |= R[s]; R[d + 1] = 0; break;
        case 0x5c: R[d] &= R[s]; R[d + 1] = 0; break;
        case 0x6c: R[d] <<= R[s] & 31; R[d + 1] = 0; break;
        case 0x7c: R[d] = R[d] >>> (R[s] & 31); R[d + 1] = 0; break;
        case 0xcc: R[d] >>= R[s] & 31; R[d + 1] = 0; break;
        case 0xac: R[d] ^= R[s]; R[d + 1] = 0; break;
        case 0xbc: // mov32, or movsx8/16 into 32 bits
          if (w >> 16 === 0) { R[d] = R[s]; R[d + 1] = 0; } else alu32(R, op, d, R[s], w >> 16, 0);
          break;
        case 0x3c: case 0x9c: alu32(R, op, d, R[s], w >> 16, 0); break;
        // JMP: 64-bit conditions against the immediate (sign-extended) or a register
        case 0x05: pc += w >> 16; break;
        case 0x15: { const k = C[i + 1]; if (R[d] === k && R[d + 1] === k >> 31) pc += w >> 16; break; }
        case 0x25: { const k = C[i + 1]; if (ult64(k, k >> 31, R[d], R[d + 1])) pc += w >> 16; break; }
        case 0x35: { const k = C[i + 1]; if (!ult64(R[d], R[d + 1], k, k >> 31)) pc += w >> 16; break; }
        case 0x45: { const k = C[i + 1]; if (((R[d] & k) | (R[d + 1] & (k >> 31))) !== 0) pc += w >> 16; break; }
        case 0x55: { const k = C[i + 1]; if (R[d] !== k || R[d + 1] !== k >> 31) pc += w >> 16; break; }
        case 0x65: { const k = C[i + 1]; if (slt64(k, k >> 31, R[d], R[d + 1])) pc += w >> 16; break; }
        case 0x75: { const k = C[i + 1]; if (!slt64(R[d], R[d + 1], k, k >> 31)) pc += w >> 16; break; }
        case 0xa5: { const k = C[i + 1]; if (ult64(R[d], R[d + 1], k, k >> 31)) pc += w >> 16; break; }
        case 0xb5: { const k = C[i + 1]; if (!ult64(k, k >> 31, R[d], R[d + 1])) pc += w >> 16; break; }
        case 0xc5: { const k = C[i + 1]; if (slt64(R[d], R[d + 1], k, k >> 31)) pc += w >> 16; break; }
        case 0xd5: { const k = C[i + 1]; if (!slt64(k, k >> 31, R[d], R[d + 1])) pc += w >> 16; break; }
        case 0x1d: if (R[d] === R[s] && R[d + 1] === R[s + 1]) pc += w >> 16; break;
        case 0x2d: if (ult64(R[s], R[s + 1], R[d], R[d + 1])) pc += w >> 16; break;
        case 0x3d: if (!ult64(R[d], R[d + 1], R[s], R[s + 1])) pc += w >> 16; break;
        case 0x4d: if (((R[d] & R[s]) | (R[d + 1] & R[s + 1])) !== 0) pc += w >> 16; break;
        case 0x5d: if (R[d] !== R[s] || R[d + 1] !== R[s + 1]) pc += w >> 16; break;
        case 0x6d: if (slt64(R[s], R[s + 1], R[d], R[d + 1])) pc += w >> 16; break;
        case 0x7d: if (!slt64(R[d], R[d + 1], R[s], R[s + 1])) pc += w >> 16; break;
        case 0xad: if (ult64(R[d], R[d + 1], R[s], R[s + 1])) pc += w >> 16; break;
        case 0xbd: if (!ult64(R[s], R[s + 1], R[d], R[d + 1])) pc += w >> 16; break;
        case 0xcd: if (slt64(R[d], R[d + 1], R[s], R[s + 1])) pc += w >> 16; break;
        case 0xdd: if (!slt64(R[s], R[s + 1], R[d], R[d + 1])) pc += w >> 16; break;
        case 0x85: case 0x8d: // call helper, call local, callx
          pc = host.call(op, pc) - 1;
          if (host.stopped) return n;
          break;
        case 0x95: // exit
          if (frames.depth === 0) return n;
          pc = frames.pop(R, mem) - 1;
          break;
        // JMP32: conditions on the low words (unsigned with >>> 0, signed as int32)
        case 0x06: pc += C[i + 1]; break; // gotol: the target is in imm
        case 0x16: if (R[d] === C[i + 1]) pc += w >> 16; break;
        case 0x26: if (R[d] >>> 0 > C[i + 1] >>> 0) pc += w >> 16; break;
        case 0x36: if (R[d] >>> 0 >= C[i + 1] >>> 0) pc += w >> 16; break;
        case 0x46: if ((R[d] & C[i + 1]) !== 0) pc += w >> 16; break;
        case 0x56: if (R[d] !== C[i + 1]) pc += w >> 16; break;
        case 0x66: if (R[d] > C[i + 1]) pc += w >> 16; break;
        case 0x76: if (R[d] >= C[i + 1]) pc += w >> 16; break;
        case 0xa6: if (R[d] >>> 0 < C[i + 1] >>> 0) pc += w >> 16; break;
        case 0xb6: if (R[d] >>> 0 <= C[i + 1] >>> 0) pc += w >> 16; break;
        case 0xc6: if (R[d] < C[i + 1]) pc += w >> 16; break;
        case 0xd6: if (R[d] <= C[i + 1]) pc += w >> 16; break;
        case 0x1e: if (R[d] === R[s]) pc += w >> 16; break;
        case 0x2e: if (R[d] >>> 0 > R[s] >>> 0) pc += w >> 16; break;
        case 0x3e: if (R[d] >>> 0 >= R[s] >>> 0) pc += w >> 16; break;
        case 0x4e: if ((R[d] & R[s]) !== 0) pc += w >> 16; break;
        case 0x5e: if (R[d] !== R[s]) pc += w >> 16; break;
        case 0x6e: if (R[d] > R[s]) pc += w >> 16; break;
        case 0x7e: if (R[d] >= R[s]) pc += w >> 16; break;
        case 0xae: if (R[d] >>> 0 < R[s] >>> 0) pc += w >> 16; break;
        case 0xbe: if (R[d] >>> 0 <= R[s] >>> 0) pc += w >> 16; break;
        case 0xce: if (R[d] < R[s]) pc += w >> 16; break;
        case 0xde: if (R[d] <= R[s]) pc += w >> 16; break;
        // LDX: dst = *(size *)(src + off). `view` finds the access (in Memory's cache or through
        // Memory.at, which faults) and leaves its byte offset in AT.
        case 0x61: { const v = view(mem, R[s + 1], R[s], w >> 16, 4, false, pc); R[d] = v.getInt32(AT, true); R[d + 1] = 0; if (mem.cr === CTX && v === mem.cv) ctxLoad(tb, R, d, AT - mem.cb); break; }
        case 0x69: R[d] = view(mem, R[s + 1], R[s], w >> 16, 2, false, pc).getUint16(AT, true); R[d + 1] = 0; break;
        case 0x71: R[d] = view(mem, R[s + 1], R[s], w >> 16, 1, false, pc).getUint8(AT); R[d + 1] = 0; break;
        case 0x79: {
          const v = view(mem, R[s + 1], R[s], w >> 16, 8, false, pc);
          R[d] = v.getInt32(AT, true); R[d + 1] = v.getInt32(AT + 4, true);
          if (mem.cr === CTX && v === mem.cv) ctxLoad(tb, R, d, AT - mem.cb);
          break;
        }
        // LDXS: sign-extending loads
        case 0x81: { const p = mem.at(R[s], R[s + 1], w >> 16, 4, false, pc); const x = mem.view.getInt32(p, true); R[d] = x; R[d + 1] = x >> 31; if (mem.region === CTX) ctxLoad(tb, R, d, mem.offset); break; }
        case 0x89: { const p = mem.at(R[s], R[s + 1], w >> 16, 2, false, pc); const x = mem.view.getInt16(p, true); R[d] = x; R[d + 1] = x >> 31; break; }
        case 0x91: { const p = mem.at(R[s], R[s + 1], w >> 16, 1, false, pc); const x = (mem.u8[p] << 24) >> 24; R[d] = x; R[d + 1] = x >> 31; break; }
        // ST: *(size *)(dst + off) = imm
        case 0x62: view(mem, R[d + 1], R[d], w >> 16, 4, true, pc).setInt32(AT, C[i + 1], true); break;
        case 0x6a: view(mem, R[d + 1], R[d], w >> 16, 2, true, pc).setInt16(AT, C[i + 1], true); break;
        case 0x72: view(mem, R[d + 1], R[d], w >> 16, 1, true, pc).setInt8(AT, C[i + 1]); break;
        case 0x7a: { const v = view(mem, R[d + 1], R[d], w >> 16, 8, true, pc), k = C[i + 1]; v.setInt32(AT, k, true); v.setInt32(AT + 4, k >> 31, true); break; }
        // STX: *(size *)(dst + off) = src
        case 0x63: view(mem, R[d + 1], R[d], w >> 16, 4, true, pc).setInt32(AT, R[s], true); break;
        case 0x6b: view(mem, R[d + 1], R[d], w >> 16, 2, true, pc).setInt16(AT, R[s], true); break;
        case 0x73: view(mem, R[d + 1], R[d], w >> 16, 1, true, pc).setInt8(AT, R[s]); break;
        case 0x7b: { const v = view(mem, R[d + 1], R[d], w >> 16, 8, true, pc); v.setInt32(AT, R[s], true); v.setInt32(AT + 4, R[s + 1], true); break; }
        case 0xc3: case 0xdb: atomic(mem, R, op, d, s, w >> 16, C[i + 1], pc); break;
        // LD: lddw (two slots; the high word is in the second), legacy packet loads
        case 0x18: R[d] = C[i + 1]; R[d + 1] = C[i + 3]; pc++; break;
        case 0x20: case 0x28: case 0x30: case 0x38:
          if (!loadPacket(mem, R, op, C[i + 1])) { R[0] = 0; R[1] = 0; return n; }
          break;
        case 0x40: case 0x48: case 0x50: case 0x58:
          if (!loadPacket(mem, R, op, (R[s] + C[i + 1]) | 0)) { R[0] = 0; R[1] = 0; return n; }
          break;
        default: // the sentinel slot after the last instruction (op 0)
          n--;
          return fail('fault', 'execution ran past the last instruction', { pc, condition: 'the program ends with exit' });
      }
      pc++;
    }
  } catch (e) {
    host.executed = n; // the count so far, for the counters
    throw e;
  } finally {
    mem.flush(); // the cache's hits, so access counts are exact when a run ends
  }
}

/** The byte offset of the last access `view` found, in the DataView it returned. */
let AT = 0;

/**
 * The DataView and (in AT) the byte offset of an access of `size` bytes at (lo, hi) + off. Three
 * cache ways in Memory answer without its tables: the packet, the stack and the last other
 * region (tags `pt`, `st`, `ct`; a store tests against the write window's end, `*wh`, which is
 * 0 for a read-only region). A way answers when hi is its tag, lo is non-negative (so the add
 * cannot carry into the tag) and the access is inside its window; the hit is counted as
 * Memory.at counts an access. Everything else goes to Memory.at, which handles a carry, fills
 * the way of the region it finds, or faults.
 */
function view(mem: Memory, hi: number, lo: number, off: number, size: number, write: boolean, pc: number): DataView {
  const o = lo + off;
  if (lo >= 0) {
    if (hi === mem.pt && o >= mem.pl && o <= (write ? mem.pwh : mem.ph) - size) { mem.ppending++; AT = mem.pb + o; return mem.pv; }
    if (hi === mem.st && o >= mem.sl && o <= (write ? mem.swh : mem.sh) - size) { mem.spending++; AT = mem.sb + o; return mem.sv; }
    if (hi === mem.ct && o >= mem.cl && o <= (write ? mem.cwh : mem.ch) - size) { mem.pending++; AT = mem.cb + o; return mem.cv; }
  }
  AT = mem.at(lo, hi, off, size, write, pc);
  return mem.view;
}
