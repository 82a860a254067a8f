// Topology files (programs/topologies/*.yaml): the ports, the NIC (profile, vRouter tables,
// an offloaded XDP program or rule set), and the host path (kernel with XDP native/generic, or
// a DPDK PMD application) with its RSS queues. Paths in the file are relative to it.
//
//   name: xdp-filter-kernel
//   profile: xeon-e5-1650v4                 # host cost profile (programs/profiles/host-NAME.json)
//   ports: [{ name: eth0, link: 10 }, { name: eth1, link: 10, index: 1, ifindex: 2 }]
//   nic: { profile: agilio-cx, tables: ../tables/compute-1.yaml,
//          xdp: { object: ../xdp/drop_udp.o, prog: drop_udp, setup: x.setup } | { rules: ../rules/a.rules } }
//   host:
//     path: kernel | dpdk
//     queues: 2                             # RSS queues: one CPU (kernel) or lcore (dpdk) each
//     rss: toeplitz | xor                   # see rss.ts
//     rxDesc: 1024, txDesc: 1024
//     xdp: { object: ..., prog: ..., mode: native | generic }     # kernel
//     stack: local | forward | drop, forwardPort: eth1, conntrack: false, socket: { rcvbuf, batch }
//     program: { object: ..., prog: ... }   # dpdk: eBPF in the PMD application (0 = drop)
//     forward: { eth0: eth1 }               # dpdk: rx port -> tx port (others: rxonly)
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Node } from 'yaml';
import { fail } from '../diag/index.js';
import type { Tier } from '../vm/index.js';
import type { ProgramRef } from './program.js';
import { Yaml, type YMap } from './yaml.js';

export interface PortSpec {
  name: string;
  /** NIC port number (vif index for the vRouter tables). */
  index: number;
  ifindex: number;
  linkGbps: number;
}

export interface XdpAttach extends ProgramRef {
  mode: 'offload' | 'native' | 'generic';
}

export interface HostSpec {
  path: 'kernel' | 'dpdk';
  queues: number;
  rss: 'toeplitz' | 'xor';
  rxDesc: number;
  txDesc: number;
  xdp?: XdpAttach;
  stack: 'local' | 'forward' | 'drop';
  forwardPort: number;
  conntrack: boolean;
  socket: { rcvbuf: number; batch: number };
  program?: ProgramRef;
  /** DPDK: rx port index -> tx port index (null: rxonly). */
  forward: Map<number, number | null>;
}

export interface Topology {
  file: string;
  name: string;
  description: string;
  costProfile: string;
  ports: PortSpec[];
  nic: { profile?: string; tables?: string; xdp?: XdpAttach };
  host?: HostSpec;
  /** Execution tier of every XDP program: set by the run (--tier), not by the file. */
  tier?: Tier;
}

const TOP = ['name', 'description', 'profile', 'ports', 'nic', 'host'];
const HOST = ['path', 'queues', 'rss', 'rxDesc', 'txDesc', 'xdp', 'stack', 'forwardPort', 'conntrack', 'socket', 'program', 'forward'];

export function loadTopology(path: string): Topology {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (e) { return fail('io', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
  return parseTopology(text, path);
}

export function parseTopology(source: string, file = '<topology>'): Topology {
  const y = new Yaml(file, source);
  const rootNode = y.root();
  const root = y.map(rootNode, 'a topology', TOP);
  const rel = (m: YMap, key: string, what: string): string | undefined => {
    const v = y.scalar(m, key, what);
    return v === undefined ? undefined : resolve(dirname(file), String(v));
  };
  const ports: PortSpec[] = [];
  for (const n of y.list(y.get(root, 'ports'), 'ports')) {
    const m = y.map(n, 'a port', ['name', 'index', 'ifindex', 'link']);
    const index = y.int(m, 'index', 'port', ports.length, 0, 4095);
    const name = y.str(m, 'name', 'port', `port${index}`);
    if (ports.some((p) => p.name === name)) y.error(y.get(m, 'name') ?? n, `port name '${name}' is used twice`);
    if (ports.some((p) => p.index === index)) y.error(y.get(m, 'index') ?? n, `port index ${index} is used twice`);
    ports.push({ name, index, ifindex: y.int(m, 'ifindex', 'port', index + 1, 1), linkGbps: y.num(m, 'link', 'port', 10, 0.001, 1000) });
  }
  if (ports.length === 0) y.error(y.get(root, 'ports') ?? (rootNode as Node), "a topology needs 'ports' (a list of at least one port)");
  const portRef = (m: YMap, key: string, what: string, def?: number): number => {
    const n = y.get(m, key);
    if (n === undefined) return def ?? y.error(m as unknown as Node, `${what} needs '${key}'`);
    const v = y.scalar(m, key, what);
    const p = ports.find((q) => q.name === String(v) || q.index === v);
    if (!p) y.error(n, `${what}: '${String(v)}' is not a port; ports are ${ports.map((q) => q.name).join(', ')}`);
    return p!.index;
  };
  const prog = (n: Node, what: string, modes: readonly XdpAttach['mode'][], def: XdpAttach['mode']): XdpAttach => {
    const m = y.map(n, what, ['object', 'rules', 'prog', 'setup', 'mode']);
    const object = rel(m, 'object', what), rules = rel(m, 'rules', what);
    if (!object === !rules) y.error(n, `${what} names either 'object' (with 'prog') or 'rules'`);
    return {
      object, rules, prog: y.scalar(m, 'prog', what) === undefined ? undefined : y.str(m, 'prog', what),
      setup: rel(m, 'setup', what), mode: y.oneOf(m, 'mode', what, modes, def), where: y.where(n),
    };
  };
  const topo: Topology = {
    file, name: y.str(root, 'name', 'topology', file.split('/').pop()!.replace(/\.ya?ml$/, '')),
    description: y.str(root, 'description', 'topology', ''),
    costProfile: y.str(root, 'profile', 'topology', 'xeon-e5-1650v4'),
    ports, nic: {},
  };
  const nicNode = y.get(root, 'nic');
  if (nicNode !== undefined) {
    const m = y.map(nicNode, "'nic'", ['profile', 'tables', 'xdp']);
    topo.nic.profile = y.scalar(m, 'profile', 'nic') === undefined ? undefined : y.str(m, 'profile', 'nic');
    topo.nic.tables = rel(m, 'tables', 'nic');
    const x = y.get(m, 'xdp');
    if (x !== undefined) topo.nic.xdp = prog(x, 'nic.xdp', ['offload'], 'offload');
    if (topo.nic.tables && topo.nic.xdp) y.error(x, 'the NIC runs either vRouter tables or an offloaded XDP program, not both');
  }
  const hostNode = y.get(root, 'host');
  if (hostNode !== undefined) {
    const m = y.map(hostNode, "'host'", HOST);
    const path = y.oneOf(m, 'path', 'host', ['kernel', 'dpdk'] as const);
    const h: HostSpec = {
      path, queues: y.int(m, 'queues', 'host', 1, 1, 64), rss: y.oneOf(m, 'rss', 'host', ['toeplitz', 'xor'] as const, 'toeplitz'),
      rxDesc: pow2(y, m, 'rxDesc', 1024), txDesc: pow2(y, m, 'txDesc', 1024),
      stack: y.oneOf(m, 'stack', 'host', ['local', 'forward', 'drop'] as const, 'local'),
      forwardPort: portRef(m, 'forwardPort', 'host', ports[0]!.index),
      conntrack: y.scalar(m, 'conntrack', 'host') === true,
      socket: { rcvbuf: 212992, batch: 1 }, forward: new Map(),
    };
    const s = y.get(m, 'socket');
    if (s !== undefined) {
      const sm = y.map(s, 'host.socket', ['rcvbuf', 'batch']);
      h.socket = { rcvbuf: y.int(sm, 'rcvbuf', 'socket', 212992, 1024), batch: y.int(sm, 'batch', 'socket', 1, 1, 1024) };
    }
    const x = y.get(m, 'xdp');
    if (x !== undefined) {
      if (path !== 'kernel') y.error(x, "host.xdp attaches to the kernel path; a DPDK application runs 'program'");
      h.xdp = prog(x, 'host.xdp', ['native', 'generic'], 'native');
    }
    const p = y.get(m, 'program');
    if (p !== undefined) {
      if (path !== 'dpdk') y.error(p, "host.program is the eBPF program of a DPDK application; the kernel path takes 'xdp'");
      const r = prog(p, 'host.program', ['native'], 'native');
      h.program = r;
    }
    const f = y.get(m, 'forward');
    if (f !== undefined) {
      if (path !== 'dpdk') y.error(f, "host.forward belongs to the DPDK path; the kernel path uses 'stack' and 'forwardPort'");
      const fm = y.map(f, 'host.forward');
      for (const pair of fm.items) {
        const k = (pair.key as { value?: unknown }).value;
        const from = ports.find((q) => q.name === String(k) || q.index === k);
        if (!from) y.error(pair.key as Node, `host.forward: '${String(k)}' is not a port`);
        const v = (pair.value as { value?: unknown } | null)?.value;
        if (v === null || v === undefined || v === 'rxonly') { h.forward.set(from!.index, null); continue; }
        const to = ports.find((q) => q.name === String(v) || q.index === v);
        if (!to) y.error(pair.value as Node, `host.forward: '${String(v)}' is not a port`);
        h.forward.set(from!.index, to!.index);
      }
    }
    topo.host = h;
  }
  return topo;
}

function pow2(y: Yaml, m: YMap, key: string, def: number): number {
  const v = y.int(m, key, 'host', def, 64, 65536);
  if ((v & (v - 1)) !== 0) y.error(y.get(m, key), `host.${key} must be a power of two, got ${v}`);
  return v;
}
