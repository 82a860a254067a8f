// Conntrack kfuncs (net/netfilter/nf_conntrack_bpf.c) over an emulated connection table:
// bpf_xdp_ct_lookup, bpf_xdp_ct_alloc, bpf_ct_insert_entry, bpf_ct_release and the timeout /
// status setters, with the kernel's argument checks and opts->error codes. A connection is a
// memory region laid out as the kernel's struct nf_conn (offsets of timeout, status and mark
// from the kernel's BTF when present, else Linux 6.18's), so programs read ct->status/mark.
import { fail } from '../../diag/index.js';
import { kernelBtf } from '../../elf/index.js';
import type { HelperContext, HelperFn } from '../call.js';
import { hi, memArg, u32, type HelperEnv } from '../helpers/env.js';
import { REGION_TAG, type Memory } from '../memory.js';

const EINVAL = 22, ENOENT = 2, EPROTO = 71;
const IPPROTO_TCP = 6, IPPROTO_UDP = 17;
const NF_BPF_CT_OPTS_SZ = 16;
const IPS_CONFIRMED = 1 << 3;

interface Layout { size: number; timeout: number; status: number; mark: number }
interface Conn { region: number; bytes: DataView; key: string; reply: string; inserted: boolean }

function layout(): Layout {
  const fallback = { size: 248, timeout: 8, status: 128, mark: 168 };
  const k = kernelBtf()?.btf;
  const t = k?.find('nf_conn', 'STRUCT');
  if (!t || t.kind !== 'STRUCT') return fallback;
  const at = (n: string, d: number): number => (t.members.find((m) => m.name === n)?.bitOffset ?? d * 8) / 8;
  return { size: t.size, timeout: at('timeout', fallback.timeout), status: at('status', fallback.status), mark: at('mark', fallback.mark) };
}

/** Table keys of a tuple in its original and reply directions. */
function keys(proto: number, tuple: Uint8Array): { key: string; reply: string } {
  const alen = tuple.length === 12 ? 4 : 16;
  const hex = (a: number, b: number): string => Buffer.from(tuple.subarray(a, b)).toString('hex');
  const src = hex(0, alen), dst = hex(alen, 2 * alen), sport = hex(2 * alen, 2 * alen + 2), dport = hex(2 * alen + 2, 2 * alen + 4);
  return { key: `${proto}/${src}/${dst}/${sport}/${dport}`, reply: `${proto}/${dst}/${src}/${dport}/${sport}` };
}

/** The emulated conntrack table of one runtime. */
export class Conntrack {
  private readonly byKey = new Map<string, Conn>();
  private readonly byRegion = new Map<number, Conn>();
  readonly layout = layout();
  constructor(private readonly memory: Memory) {}

  /** A new connection object (not in the table until inserted). */
  create(proto: number, tuple: Uint8Array): Conn {
    const bytes = new Uint8Array(this.layout.size);
    const region = this.memory.registerRegion(bytes, true, 'other', 'nf_conn');
    const c: Conn = { region, bytes: new DataView(bytes.buffer), ...keys(proto, tuple), inserted: false };
    this.byRegion.set(region, c);
    return c;
  }

  insert(c: Conn): boolean {
    if (this.byKey.has(c.key) || this.byKey.has(c.reply)) return false;
    this.byKey.set(c.key, c);
    c.inserted = true;
    const s = this.layout.status;
    c.bytes.setUint32(s, c.bytes.getUint32(s, true) | IPS_CONFIRMED, true);
    return true;
  }

  /** Add a connection from user space (tests, setup): protocol and a bpf_sock_tuple. */
  add(proto: number, tuple: Uint8Array, status = 0): void {
    const c = this.create(proto, tuple);
    c.bytes.setUint32(this.layout.status, status, true);
    this.insert(c);
  }

  find(proto: number, tuple: Uint8Array): { conn: Conn; dir: number } | undefined {
    const k = keys(proto, tuple);
    const o = this.byKey.get(k.key);
    if (o) return { conn: o, dir: 0 };
    const r = this.byKey.get(k.reply);
    return r ? { conn: r, dir: 1 } : undefined;
  }

  at(vm: HelperContext, reg: number): Conn | undefined {
    return vm.regs[2 * reg] === 0 ? this.byRegion.get(hi(vm, reg) - REGION_TAG) : undefined;
  }

  get size(): number { return this.byKey.size; }
}

export function conntrackKfuncs(_env: HelperEnv, ct: Conntrack): Record<string, HelperFn> {
  const L = ct.layout;
  /** __bpf_nf_ct_lookup's checks; the tuple bytes, or a negative errno. */
  const args = (vm: HelperContext): { tuple: Uint8Array; opts: DataView; proto: number } | number => {
    const tupleSz = u32(vm, 3), optsSz = u32(vm, 5);
    if ((vm.regs[8] | hi(vm, 4)) === 0 || (vm.regs[4] | hi(vm, 2)) === 0) return -EINVAL;
    if (optsSz !== NF_BPF_CT_OPTS_SZ && optsSz !== 12) return -EINVAL;
    const ob = memArg(vm, 4, optsSz, true);
    const opts = new DataView(ob.buffer, ob.byteOffset, optsSz);
    if (optsSz === NF_BPF_CT_OPTS_SZ && (ob[13] | ob[14] | ob[15]) !== 0) return -EINVAL;
    const proto = ob[8]!;
    if (proto !== IPPROTO_TCP && proto !== IPPROTO_UDP) return -EPROTO;
    if (opts.getInt32(0, true) < -1) return -EINVAL;
    if (tupleSz !== 12 && tupleSz !== 36) return -EINVAL;
    return { tuple: memArg(vm, 2, tupleSz, false).slice(), opts, proto };
  };
  const failWith = (vm: HelperContext, err: number): void => {
    if ((vm.regs[8] | hi(vm, 4)) !== 0 && u32(vm, 5) >= 8) {
      const o = memArg(vm, 4, 8, true);
      new DataView(o.buffer, o.byteOffset, 8).setInt32(4, err, true);
    }
    vm.setR0(0, 0);
  };
  const lookup: HelperFn = (vm) => {
    const a = args(vm);
    if (typeof a === 'number') return failWith(vm, a);
    const hit = ct.find(a.proto, a.tuple);
    if (!hit) return failWith(vm, -ENOENT);
    a.opts.setUint8(9, hit.dir);
    vm.setR0(0, REGION_TAG + hit.conn.region);
  };
  const alloc: HelperFn = (vm) => {
    const a = args(vm);
    if (typeof a === 'number') return failWith(vm, a);
    const c = ct.create(a.proto, a.tuple);
    c.bytes.setUint32(L.timeout, 10_000, true);
    vm.setR0(0, REGION_TAG + c.region);
  };
  const conn = (vm: HelperContext, what: string) => {
    const c = ct.at(vm, 1);
    if (!c) fail('fault', `${what}: r1 (${vm.memory.describe(vm.regs[2]!, hi(vm, 1))}) is not a connection from bpf_xdp_ct_lookup or bpf_xdp_ct_alloc`, { pc: vm.pc });
    return c;
  };
  const setU32 = (field: 'timeout' | 'status', ret: boolean): HelperFn => (vm) => {
    const c = ct.at(vm, 1);
    if (c) c.bytes.setUint32(L[field], u32(vm, 2), true);
    if (ret) vm.setR0(c ? 0 : -EINVAL, c ? 0 : -1);
  };
  return {
    bpf_xdp_ct_lookup: lookup,
    bpf_xdp_ct_alloc: alloc,
    bpf_ct_insert_entry: (vm) => {
      const c = conn(vm, 'bpf_ct_insert_entry');
      if (!ct.insert(c)) return vm.setR0(0, 0); // -EEXIST: the kernel returns NULL
      vm.setR0(0, REGION_TAG + c.region);
    },
    bpf_ct_release: (vm) => { conn(vm, 'bpf_ct_release'); },
    bpf_ct_set_timeout: setU32('timeout', false),
    bpf_ct_change_timeout: setU32('timeout', true),
    bpf_ct_set_status: setU32('status', true),
    bpf_ct_change_status: setU32('status', true),
  };
}
