// Program type from the ELF section name, as libbpf's section table decides it (XDP only so far).

export interface ProgramKind {
  /** 'xdp' for every XDP flavour; other sections are 'unknown' until their types are supported. */
  type: 'xdp' | 'unknown';
  /** Expected attach point: plain XDP, a devmap or cpumap entry program. */
  attach?: 'xdp' | 'devmap' | 'cpumap';
  /** `xdp.frags`: the program handles multi-buffer packets (BPF_F_XDP_HAS_FRAGS). */
  frags: boolean;
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

/** Classify a program section name (`xdp`, `xdp.frags`, `xdp/devmap`, legacy `xdp_devmap/x`, `xdp_foo`). */
export function programKind(section: string): ProgramKind {
  for (const [prefix, kind] of XDP_DEFS) {
    if (section === prefix || section.startsWith(prefix + '/')) return { ...kind };
  }
  // Pre-1.0 libbpf accepted any name starting with the prefix ("sloppy" matching).
  if (section.startsWith('xdp_devmap/')) return { type: 'xdp', attach: 'devmap', frags: false };
  if (section.startsWith('xdp_cpumap/')) return { type: 'xdp', attach: 'cpumap', frags: false };
  if (section.startsWith('xdp')) return { type: 'xdp', attach: 'xdp', frags: false };
  return { type: 'unknown', frags: false };
}
