// Memory access checks per pointer type (check_mem_access): ctx, packet, map value,
// ring buffer memory. Stack accesses are in stack.ts.
import { MAP_TYPE } from '../elf/index.js';
import type { Env } from './env.js';
import { reject } from './reject.js';
import { BEYOND_PKT_END, constReg, ptrReg, scalarReg, isPointer, typeName, type Reg } from './reg.js';
import { isConst, S64_MIN, urange, unknown } from './scalar.js';
import { signExtend } from './scalar-alu.js';
import { stackAccess } from './stack.js';
import type { State } from './state.js';
import { tformat } from './tnum.js';

export const MAX_PACKET_OFF = 0xffff;
/** Largest variable offset the kernel lets a pointer carry (BPF_MAX_VAR_OFF). */
export const MAX_VAR_OFF = 1 << 29;

export interface Access {
  regno: number;
  reg: Reg;
  /** The instruction's offset. */
  off: number;
  size: number;
  write: boolean;
  /** Register being stored (for leak checks and spills), or a constant for BPF_ST. */
  value?: Reg;
  /** The register number of `value` (messages). */
  valueRegno?: number;
  /** BPF_ST with an immediate (the kernel treats it differently from a register store). */
  isImm?: boolean;
  signExt?: boolean;
}

const XDP_MD_FIELDS = ['data', 'data_end', 'data_meta', 'ingress_ifindex', 'rx_queue_index', 'egress_ifindex'];

/** A scalar holding `size` loaded bytes. */
function loaded(size: number, signExt?: boolean): Reg {
  const r = scalarReg(size >= 8 ? unknown() : urange(0n, (1n << BigInt(size * 8)) - 1n));
  return signExt && size < 8 ? scalarReg(signExtend(r.b, (size * 8) as 8 | 16 | 32, 64)) : r;
}

/** Check one access; for reads return the value loaded. */
export function checkAccess(env: Env, st: State, a: Access): Reg | undefined {
  const { reg, regno, size, write } = a;
  switch (reg.type) {
    case 'ctx': return ctxAccess(env, a);
    case 'pkt':
    case 'pkt_meta': {
      if (write && a.value && isPointer(a.value) && !env.priv) reject(`R${a.valueRegno} leaks addr into packet`, 'a pointer would be written into the packet (allowed only with CAP_PERFMON)');
      checkVarOff(reg, regno, 'packet');
      const off = reg.off + a.off;
      if (off < 0 || off + size > Math.max(reg.range, 0) || Number(reg.b.umax) + off + size > MAX_PACKET_OFF) {
        const r = Math.max(reg.range, 0);
        const shown = reg.range === BEYOND_PKT_END ? 'beyond the end of the packet' : `proven range ${r}`;
        const verb = write ? 'write' : 'read';
        reject(
          `invalid access to packet, off=${off} size=${size}, R${regno}(id=${reg.id},off=${off},r=${reg.range < 0 ? 0 : reg.range})\nR${regno} offset is outside of the packet`,
          r === 0
            ? `packet access without a bounds check: ${verb} ${size} byte${size > 1 ? 's' : ''} at off ${off}, but no comparison with data_end proves any bytes of the packet exist`
            : `packet access out of range: ${verb} ${size} byte${size > 1 ? 's' : ''} at off ${off}, ${shown}`,
          off >= 0 ? `a ${r}-byte packet passes every check on this path, but this ${verb} needs ${off + size} bytes` : undefined,
        );
      }
      return write ? undefined : loaded(size, a.signExt);
    }
    case 'fp': return stackAccess(env, st, a);
    case 'map_value': return mapValueAccess(env, a);
    case 'ringbuf_mem': {
      regionCheck(reg, regno, a.off, size, reg.memSize, (off) => `invalid access to memory, mem_size=${reg.memSize} off=${off} size=${size}`,
        (off) => `ring buffer access out of range: ${write ? 'write' : 'read'} of ${size} bytes at offset ${off} of a ${reg.memSize}-byte reservation`);
      return write ? undefined : loaded(size, a.signExt);
    }
    case 'mem': {
      if (write && !reg.rw) reject(`R${regno} cannot write into rdonly_mem`, `R${regno} is a read-only slice of the packet (bpf_dynptr_slice): write through bpf_dynptr_slice_rdwr or bpf_dynptr_write`);
      regionCheck(reg, regno, a.off, size, reg.memSize, (off) => `invalid access to memory, mem_size=${reg.memSize} off=${off} size=${size}`,
        (off) => reg.rw ? `memory access out of range: ${write ? 'write' : 'read'} of ${size} bytes at offset ${off} of a ${reg.memSize}-byte argument` : `slice access out of range: read of ${size} bytes at offset ${off} of a ${reg.memSize}-byte slice`);
      return write ? undefined : loaded(size, a.signExt);
    }
    case 'btf_ptr':
      // Fields of a kernel object: the kernel checks them against BTF; xdplab lets reads through.
      if (write) reject(`only read is supported`, `R${regno} points to a kernel object, which the program may only read`);
      return loaded(size, a.signExt);
    case 'map_value_or_null':
    case 'mem_or_null':
    case 'btf_ptr_or_null':
    case 'ringbuf_mem_or_null':
      return reject(`R${regno} invalid mem access '${typeName(reg.type)}'`,
        `R${regno} may be NULL here: ${reg.type === 'map_value_or_null' ? 'the map lookup result' : reg.type === 'ringbuf_mem_or_null' ? 'the ring buffer reservation' : reg.rw ? 'a global function\'s pointer argument' : 'the kfunc result'} must be compared with 0 before it is dereferenced`,
        reg.type === 'map_value_or_null' ? 'a lookup of a key that is not in the map returns NULL and this access would fault' : undefined);
    default:
      return reject(`R${regno} invalid mem access '${typeName(reg.type)}'`,
        reg.type === 'scalar' ? `R${regno} is a number, not a pointer: it cannot be dereferenced` : `R${regno} (${typeName(reg.type)}) cannot be dereferenced`);
  }
}

/** The variable part of a pointer's offset must be non-negative and bounded. */
function checkVarOff(reg: Reg, regno: number, what: string): void {
  if (isConst(reg.b)) return;
  if (reg.b.smin < 0n) {
    reject(`R${regno} min value is negative, either use unsigned index or do a if (index >=0) check.`,
      `R${regno} points into ${what} at an offset that may be negative: check the index against 0 or make it unsigned`);
  }
  if (reg.b.umax >= BigInt(MAX_VAR_OFF)) {
    reject(`R${regno} unbounded memory access, make sure to bounds check any such access`,
      `R${regno} points into ${what} at an unbounded offset: compare the index with the size before using it`);
  }
}

/** check_mem_region_access: the lowest and the highest possible offsets must both fit. */
function regionCheck(reg: Reg, regno: number, insnOff: number, size: number, memSize: number, kernel: (off: number) => string, ours: (off: number) => string): void {
  const off = reg.off + insnOff;
  const smin = reg.b.smin;
  if (smin < 0n && (smin === S64_MIN || smin + BigInt(off) < 0n)) {
    reject(`R${regno} min value is negative, either use unsigned index or do a if (index >=0) check.`,
      `R${regno} may point before the start of the memory: its variable offset can be negative; check the index against 0 or make it unsigned`);
  }
  const lo = Number(smin) + off;
  if (lo < 0 || lo + size > memSize) reject(`${kernel(lo)}\nR${regno} min value is outside of the allowed memory range`, ours(lo));
  if (reg.b.umax >= BigInt(MAX_VAR_OFF)) {
    reject(`R${regno} unbounded memory access, make sure to bounds check any such access`,
      `R${regno} points into memory at an unbounded offset: compare the index with the size before using it`);
  }
  const hi = Number(reg.b.umax) + off;
  if (hi + size > memSize) reject(`${kernel(hi)}\nR${regno} max value is outside of the allowed memory range`, ours(hi));
}

function ctxAccess(env: Env, a: Access): Reg | undefined {
  const { reg, regno, size } = a;
  if (reg.off !== 0) reject(`dereference of modified ctx ptr R${regno} off=${reg.off} disallowed`, `R${regno} is the context pointer moved by ${reg.off}: access struct xdp_md fields from the original pointer`);
  if (!isConst(reg.b)) reject(`variable ctx access var_off=${tformat(reg.b.t)} disallowed`, `R${regno} is the context pointer plus a variable: fields of struct xdp_md must be accessed at constant offsets`);
  const off = a.off;
  const field = off >= 0 && off % 4 === 0 ? XDP_MD_FIELDS[off / 4] : undefined;
  const egressOk = env.input.attach === 'devmap';
  // Offloaded programs may pick the RX queue (xdp_is_valid_access for a device-bound program).
  const queueWrite = a.write && env.offload && field === 'rx_queue_index' && size === 4 && !(a.value && isPointer(a.value));
  const bad = (a.write && !queueWrite) || field === undefined || size !== 4 || off % size !== 0 || (field === 'egress_ifindex' && !egressOk) || a.signExt;
  if (bad) {
    const why = a.write
      ? `struct xdp_md is read-only: the program cannot write ${field ? `ctx->${field}` : `offset ${off}`}`
      : field === undefined ? `struct xdp_md has no field at offset ${off} (fields: ${XDP_MD_FIELDS.map((f, i) => `${f}@${i * 4}`).join(', ')})`
        : field === 'egress_ifindex' && !egressOk ? 'ctx->egress_ifindex is readable only by programs attached to a devmap (SEC("xdp/devmap"))'
          : `ctx->${field} must be read as one 4-byte (u32) load, not ${size} byte${size > 1 ? 's' : ''}${a.signExt ? ' sign-extended' : ''}`;
    reject(`invalid bpf_context access off=${off} size=${size}`, why);
  }
  if (a.write) return undefined;
  if (field === 'data') return ptrReg('pkt');
  if (field === 'data_end') return ptrReg('pkt_end');
  if (field === 'data_meta') return ptrReg('pkt_meta');
  return loaded(4);
}

function mapValueAccess(env: Env, a: Access): Reg | undefined {
  const { reg, regno, size, write } = a;
  const m = env.input.maps[reg.map]!;
  if (write && a.value && isPointer(a.value) && !env.priv) {
    reject(`R${a.valueRegno} leaks addr into map`,
      'a pointer would be stored into a map value, where user space could read it (allowed only with CAP_PERFMON)');
  }
  if (write && (m.readOnly || (m.flags & 0x80) !== 0)) {
    reject(`write into map forbidden, value_size=${m.valueSize} off=${reg.off + a.off} size=${size}`, `map ${m.name} is read-only for the program (${m.name.startsWith('.rodata') ? 'const global data' : 'BPF_F_RDONLY_PROG'})`);
  }
  const varPart = isConst(reg.b) ? '' : ` (the variable part of the offset is ${reg.b.smin}..${reg.b.umax})`;
  regionCheck(reg, regno, a.off, size, m.valueSize, (off) => `invalid access to map value, value_size=${m.valueSize} off=${off} size=${size}`,
    (off) => `map value access out of range: ${write ? 'write' : 'read'} of ${size} byte${size > 1 ? 's' : ''} at offset ${off}${varPart}, but ${m.name}'s values are ${m.valueSize} bytes`);
  const lo = reg.off + a.off + Number(reg.b.smin);
  if (write) return undefined;
  // Frozen read-only global data reads as constants, as the kernel does for .rodata.
  if (m.readOnly && m.initialData && isConst(reg.b) && m.type === MAP_TYPE.ARRAY) {
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(m.initialData[lo + i] ?? 0);
    if (a.signExt && size < 8) v = BigInt.asIntN(size * 8, v);
    return constReg(v);
  }
  return loaded(size, a.signExt);
}

