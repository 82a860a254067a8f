// The BTF CO-RE relocations resolve against: the running kernel's (/sys/kernel/btf/vmlinux),
// else a bundled BTF of the kernel types XDP programs read (data/xdp-types.c, built into
// core-btf-data.ts), so programs built on vmlinux.h load on machines without kernel BTF.
import { existsSync, readFileSync } from 'node:fs';
import { fail } from '../diag/index.js';
import { parseBtf, type Btf } from './btf.js';
import { BUNDLED_BTF_BASE64 } from './core-btf-data.js';

export const KERNEL_BTF_PATH = '/sys/kernel/btf/vmlinux';

/** `auto`: the kernel's BTF when present, else the bundled one; or a path to a BTF file. */
export type CoreTargetChoice = 'auto' | 'kernel' | 'bundled' | { path: string } | { btf: Btf; name: string };

export interface CoreTarget { btf: Btf; name: string }

let kernel: CoreTarget | null | undefined;
let bundled: CoreTarget | undefined;

/** The running kernel's BTF, parsed once; undefined when the kernel exposes none. */
export function kernelBtf(): CoreTarget | undefined {
  if (kernel === undefined) {
    kernel = existsSync(KERNEL_BTF_PATH) ? { btf: parseBtf(new Uint8Array(readFileSync(KERNEL_BTF_PATH)), KERNEL_BTF_PATH), name: KERNEL_BTF_PATH } : null;
  }
  return kernel ?? undefined;
}

/** The bundled BTF (ethhdr, vlan_hdr, iphdr, ipv6hdr, tcphdr, udphdr, icmphdr, xdp_md, xdp_action). */
export function bundledBtf(): CoreTarget {
  bundled ??= { btf: parseBtf(new Uint8Array(Buffer.from(BUNDLED_BTF_BASE64, 'base64')), 'bundled BTF'), name: 'bundled BTF (src/elf/data/xdp-types.c)' };
  return bundled;
}

export function coreTarget(choice: CoreTargetChoice = 'auto'): CoreTarget {
  if (typeof choice === 'object') {
    if ('btf' in choice) return choice;
    if (!existsSync(choice.path)) fail('usage', `CO-RE target BTF ${choice.path} does not exist`);
    return { btf: parseBtf(new Uint8Array(readFileSync(choice.path)), choice.path), name: choice.path };
  }
  if (choice === 'bundled') return bundledBtf();
  const k = kernelBtf();
  if (k) return k;
  if (choice === 'kernel') fail('usage', `this kernel exposes no BTF (${KERNEL_BTF_PATH} is missing); use the bundled BTF instead`);
  return bundledBtf();
}
