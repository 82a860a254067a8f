// The compiler's front door: a checked rule set to an ELF object (one XDP program in section
// `xdp`, BTF-defined maps named after the sets, counters and limiters), plus the assembly
// listing and the setup file that fills sets declared with elements.
import { writeObject, type MapSpec } from '../elf/index.js';
import { formatInsn, type Insn } from '../isa/index.js';
import type { Ruleset } from './ir.js';
import { generate } from './codegen/program.js';
import { setKey } from './setup.js';

export interface CompiledRules {
  insns: Insn[];
  maps: MapSpec[];
  /** Where each rule starts (instruction index -> comment). */
  notes: Map<number, string>;
}

export function compileRules(rs: Ruleset): CompiledRules {
  return generate(rs);
}

/** The relocatable object `bpftool prog load` accepts. */
export function rulesObject(rs: Ruleset, name = 'xdp_rules'): Uint8Array {
  const { insns, maps } = generate(rs);
  return writeObject({ programs: [{ name, section: 'xdp', insns }], maps, license: 'GPL' });
}

/** The program in llvm-objdump syntax (what src/asm reads back), rules as comments. */
export function rulesAsm(rs: Ruleset, name = 'xdp_rules'): string {
  const { insns, notes, maps } = generate(rs);
  const lines = [`; ${name}: ${insns.length} instructions; maps: ${maps.map((m, i) => `${i}=${m.name}`).join(', ') || 'none'}`];
  lines.push(`; a map reference is 'ld_pseudo rN, 1, INDEX' (BPF_PSEUDO_MAP_FD, map index)`);
  insns.forEach((insn, i) => {
    const note = notes.get(i);
    if (note) lines.push(`; ${note}`);
    lines.push(formatInsn(insn));
  });
  return lines.join('\n') + '\n';
}

/** `bpftool map update` lines (src/maps setup-file syntax) for elements declared in the file. */
export function rulesSetup(rs: Ruleset): string {
  const out: string[] = [];
  for (const s of rs.sets) {
    for (const el of s.init) {
      const key = setKey(s, el.value, el.plen);
      out.push(`name ${s.name} key hex ${[...key].map((b) => b.toString(16).padStart(2, '0')).join(' ')} value 1`);
    }
  }
  return out.length ? out.join('\n') + '\n' : '';
}
