// The verifier's word on a compared program, before anything is measured: a program the kernel
// verifier rejects cannot be loaded at any placement (an XdplabError with exit code 1 and the
// verifier's headline), and the xdp-offload placement takes its reasons from `offloadCheck`
// (`xdplab verify --target hw`), each named with its instruction or map. Only when the verifier
// cannot check the program does the cost model fall back to its own look at the measured
// helpers and maps (`offloadReasons`), and the comparison says so.
import { XdplabError } from '../diag/index.js';
import { findProgram } from '../elf/index.js';
import { explainError, inputFromProgram, offloadCheck, verify, type OffloadReason, type VerifierInput } from '../verifier/index.js';
import type { Subject } from './compare-subject.js';

export interface OffloadAnswer {
  /** 'verifier': `offloadCheck` answered; 'cost model': the fallback (see `note`). */
  source: 'verifier' | 'cost model';
  /** Blocking reasons as printed: `insn 24: bpf_redirect_map is not supported by the NIC ...`. */
  reasons: string[];
  /** Reasons that let the program load but change what it does on the NIC. */
  changes: string[];
  /** The verifier's reasons as it gives them (pc, map, text, severity). */
  raw: OffloadReason[];
  /** Why the verifier could not answer, when source is the cost model. */
  note?: string;
  /** Slots of the subject's program the verifier proved in bounds (the compiled tier drops their checks). */
  provenSafe?: ReadonlySet<number>;
}

/** One reason as a line: the instruction (or map) first, then the verifier's sentence. */
export function reasonText(r: OffloadReason): string {
  if (r.pc !== undefined && r.pc >= 0) return `insn ${r.pc}: ${r.text}`;
  if (r.map !== undefined && !r.text.includes(r.map)) return `map ${r.map}: ${r.text}`;
  return r.text;
}

/** The verifier's input for the program the subject runs. */
export function subjectInput(s: Subject): VerifierInput {
  return inputFromProgram(s.object, findProgram(s.object, s.prog));
}

/**
 * Verify the subject's program (root capabilities, as the kernel loads XDP) and check it for NIC
 * offload. Throws XdplabError (exit 1) when the verifier rejects it.
 */
export function verifierCheck(s: Subject): OffloadAnswer {
  const input = subjectInput(s);
  let host, hw;
  try {
    host = verify(input, { caps: 'root' });
    hw = host.ok ? offloadCheck(input, { caps: 'root' }) : undefined;
  } catch (e) {
    if (e instanceof XdplabError) throw e;
    // A construct the verifier does not model: price it, but say the reasons are the model's.
    const why = (e as Error).message.split('\n')[0];
    return { source: 'cost model', reasons: [], changes: [], raw: [], note: `the verifier could not check ${programName(s)} (${why}); xdp-offload reasons come from the cost model's own look at the measured helpers and maps` };
  }
  if (!host.ok) {
    const err = host.errors[0]!;
    throw new XdplabError({
      kind: 'verifier',
      message: `${s.name}: the verifier rejects ${programName(s)}, so no placement can load it: ${err.headline}`,
      ...(err.pc >= 0 ? { pc: err.pc } : {}),
      notes: [...explainError(input, err).slice(1).map((l) => l.replace(/^ {2}/, '')), `see: xdplab verify ${s.file}`],
    }, 1);
  }
  const raw = hw!.reasons;
  return {
    source: 'verifier',
    reasons: raw.filter((r) => r.severity === 'blocks').map(reasonText),
    changes: raw.filter((r) => r.severity === 'changes').map(reasonText),
    raw,
    provenSafe: host.provenSafe,
  };
}

function programName(s: Subject): string {
  try { return `program ${findProgram(s.object, s.prog).name}`; } catch { return 'the program'; }
}
