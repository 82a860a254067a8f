// Program type from the ELF section name, as libbpf 1.x's section table decides it, plus
// the spellings older libbpf accepted (any name starting with `xdp`). Sections libbpf knows
// for other program types are 'other'; anything else is 'unknown' until the loader is told
// the type (bpftool's `type xdp`, xdplab's --type xdp).

export interface ProgramKind {
  /** 'xdp' for every XDP flavour; 'other' for known non-XDP types; 'unknown' otherwise. */
  type: 'xdp' | 'other' | 'unknown';
  /** Expected attach point: plain XDP, a devmap or cpumap entry program. */
  attach?: 'xdp' | 'devmap' | 'cpumap';
  /** `xdp.frags`: the program handles multi-buffer packets (BPF_F_XDP_HAS_FRAGS). */
  frags: boolean;
  /** A spelling only pre-1.0 libbpf accepted (`xdp_prog`, `xdp_devmap/x`). */
  legacy?: boolean;
  /** The type was given by the user, not found from the section name. */
  forced?: boolean;
}

// libbpf's SEC_DEFs, most specific first; each matches `name` or `name/<anything>`.
const XDP_DEFS: [string, ProgramKind][] = [
  ['xdp.frags/devmap', { type: 'xdp', attach: 'devmap', frags: true }],
  ['xdp/devmap', { type: 'xdp', attach: 'devmap', frags: false }],
  ['xdp.frags/cpumap', { type: 'xdp', attach: 'cpumap', frags: true }],
  ['xdp/cpumap', { type: 'xdp', attach: 'cpumap', frags: false }],
  ['xdp.frags', { type: 'xdp', attach: 'xdp', frags: true }],
  ['xdp', { type: 'xdp', attach: 'xdp', frags: false }],
];

// Section prefixes libbpf 1.x gives a non-XDP type (a subset: the ones seen next to XDP code).
const OTHER = ['tc', 'tcx', 'classifier', 'action', 'socket', 'sk_skb', 'sk_msg', 'kprobe', 'kretprobe', 'uprobe',
  'tracepoint', 'tp', 'raw_tracepoint', 'raw_tp', 'tp_btf', 'fentry', 'fexit', 'fmod_ret', 'lsm', 'iter', 'struct_ops',
  'cgroup', 'cgroup_skb', 'sockops', 'flow_dissector', 'lwt_in', 'lwt_out', 'lwt_xmit', 'lwt_seg6local', 'perf_event',
  'sk_lookup', 'sk_reuseport', 'netfilter', 'syscall', 'usdt'];

/** Classify a program section name (`xdp`, `xdp.frags`, `xdp/devmap`, legacy `xdp_devmap/x`, `xdp_foo`). */
export function programKind(section: string): ProgramKind {
  for (const [prefix, kind] of XDP_DEFS) {
    if (section === prefix || section.startsWith(prefix + '/')) return { ...kind };
  }
  // Pre-1.0 libbpf accepted any name starting with the prefix ("sloppy" matching).
  if (section.startsWith('xdp_devmap/')) return { type: 'xdp', attach: 'devmap', frags: false, legacy: true };
  if (section.startsWith('xdp_cpumap/')) return { type: 'xdp', attach: 'cpumap', frags: false, legacy: true };
  if (section.startsWith('xdp')) return { type: 'xdp', attach: 'xdp', frags: false, legacy: true };
  const head = section.split(/[/.]/)[0]!;
  if (OTHER.includes(head)) return { type: 'other', frags: false };
  return { type: 'unknown', frags: false };
}

/** The error text for a program whose section gives no type. */
export function unknownSectionMessage(file: string, prog: string, section: string): string {
  return `${file}: program ${prog} is in section '${section}', which does not name a program type libbpf knows; if it is an XDP program, say so with --type xdp`;
}
