// bpf_trace_printk: the format checks of bpf_bprintf_prepare (kernel/bpf/helpers.c) and the
// formatting of the kernel's vsnprintf for what those checks let through: %d %i %u %x %X
// with l/ll, %c, %s, %p (%px %pK %ps %pS), %pI4 %pi4 %pI6 %pi6, flags `0+- ` and a width,
// and %%. At most three arguments. The return value is the formatted length, or -EINVAL.
import type { HelperFn } from '../call.js';
import { REGION_TAG, type Memory } from '../memory.js';
import { hi, ret, TRACE_MAX, u32, type HelperEnv } from './env.js';

const EINVAL = 22;
const isPrint = (c: number): boolean => c >= 0x20 && c < 0x7f;
const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);
const isPunct = (c: number): boolean => isPrint(c) && !isSpace(c) && !/[0-9a-z]/i.test(String.fromCharCode(c));

/** A 64-bit argument as (lo, hi) words. */
export interface PrintkArg { lo: number; hi: number }

/** Format like bpf_trace_printk; undefined when the kernel would return -EINVAL. */
export function formatPrintk(fmtBytes: Uint8Array, args: PrintkArg[], mem?: Memory): string | undefined {
  const nul = fmtBytes.indexOf(0);
  if (nul < 0) return undefined;
  const fmt = fmtBytes.subarray(0, nul);
  const ch = (i: number): number => (i < fmt.length ? fmt[i]! : 0);
  let out = '';
  let spec = 0;
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if (!isPrint(c) && !isSpace(c)) return undefined;
    if (c !== 0x25) { out += String.fromCharCode(c); continue; }
    if (ch(i + 1) === 0x25) { out += '%'; i++; continue; }
    if (spec >= args.length) return undefined;
    const arg = args[spec++]!;
    i++;
    let flags = '';
    while ('0+- '.includes(String.fromCharCode(ch(i))) && ch(i) !== 0) flags += String.fromCharCode(fmt[i++]!);
    let width = 0;
    if (ch(i) >= 0x31 && ch(i) <= 0x39) while (ch(i) >= 0x30 && ch(i) <= 0x39) width = width * 10 + (fmt[i++]! - 0x30);
    const conv = String.fromCharCode(ch(i));
    const pad = (s: string, numeric: boolean): string => {
      if (s.length >= width) return s;
      if (flags.includes('-')) return s.padEnd(width);
      if (numeric && flags.includes('0')) {
        const sign = /^[-+ ]/.test(s) ? s[0]! : '';
        return sign + s.slice(sign.length).padStart(width - sign.length, '0');
      }
      return s.padStart(width);
    };
    if (conv === 'p') {
      const n = ch(i + 1);
      if ((n === 0x6b || n === 0x75) && ch(i + 2) === 0x73) { // %pks %pus: a string
        i += 2;
        if (!strEnd(ch(i + 1))) return undefined;
        out += pad(readString(mem, arg), false);
        continue;
      }
      if (n === 0 || isSpace(n) || isPunct(n) || 'KxsS'.includes(String.fromCharCode(n))) {
        if ('KxsS'.includes(String.fromCharCode(n)) && n !== 0) i++;
        out += pad(hex8(arg.hi) + hex8(arg.lo), false);
        continue;
      }
      if ((n === 0x69 || n === 0x49) && (ch(i + 2) === 0x34 || ch(i + 2) === 0x36)) {
        const v6 = ch(i + 2) === 0x36, upper = n === 0x49;
        i += 2;
        out += pad(formatIp(readBytes(mem, arg, v6 ? 16 : 4), v6, upper), false);
        continue;
      }
      return undefined;
    }
    if (conv === 's') {
      if (!strEnd(ch(i + 1))) return undefined;
      out += pad(readString(mem, arg), false);
      continue;
    }
    if (conv === 'c') { out += pad(String.fromCharCode(arg.lo & 0xff), false); continue; }
    let long = 0;
    while (ch(i) === 0x6c && long < 2) { long++; i++; }
    const k = String.fromCharCode(ch(i));
    if (!'iduxX'.includes(k) || ch(i) === 0) return undefined;
    const wide = long > 0;
    const u = wide ? (BigInt(arg.hi >>> 0) << 32n) | BigInt(arg.lo >>> 0) : BigInt(arg.lo >>> 0);
    let s: string;
    if (k === 'd' || k === 'i') {
      const v = wide ? BigInt.asIntN(64, u) : BigInt(arg.lo | 0);
      s = v < 0n ? `-${-v}` : (flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '') + v.toString();
    } else if (k === 'u') s = u.toString();
    else s = k === 'x' ? u.toString(16) : u.toString(16).toUpperCase();
    out += pad(s, true);
  }
  return out;
}

const strEnd = (c: number): boolean => c === 0 || isSpace(c) || isPunct(c);
const hex8 = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');

function readBytes(mem: Memory | undefined, a: PrintkArg, n: number): Uint8Array {
  try { return mem ? mem.slice(a.lo, a.hi, n, false, -1).slice() : new Uint8Array(n); } catch { return new Uint8Array(n); }
}

/** A NUL-terminated string at a VM address; '' when it is not readable (the kernel's fallback). */
function readString(mem: Memory | undefined, a: PrintkArg): string {
  if (!mem) return '';
  const region = a.hi - REGION_TAG;
  if (region < 0 || region >= mem.count) return '';
  const len = mem.regionLength(region);
  let s = '';
  for (let o = a.lo; o >= 0 && o < len && s.length < 1024; o++) {
    const b = mem.slice(o, a.hi, 1, false, -1)[0]!;
    if (b === 0) return s;
    s += String.fromCharCode(b);
  }
  return s;
}

function formatIp(b: Uint8Array, v6: boolean, upper: boolean): string {
  if (!v6) return Array.from(b, (x) => (upper ? String(x) : String(x).padStart(3, '0'))).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i]! << 8) | b[i + 1]!).toString(16).padStart(4, '0'));
  return upper ? groups.join(':') : groups.join('');
}

export function printkHelper(env: HelperEnv): HelperFn {
  return (vm) => {
    const size = u32(vm, 2);
    const fmt = vm.memory.slice(vm.regs[2]!, hi(vm, 1), size, false, vm.pc);
    const args: PrintkArg[] = [3, 4, 5].map((r) => ({ lo: vm.regs[2 * r]!, hi: vm.regs[2 * r + 1]! }));
    const text = formatPrintk(fmt, args, vm.memory);
    if (text === undefined) return ret(vm, -EINVAL);
    if (env.trace.length < TRACE_MAX) env.trace.push(text);
    else env.traceDropped++;
    ret(vm, text.length);
  };
}
