// An instruction on its way out of the assembler: spec and fields known, jump targets that
// name a label still open until every label of the file has been seen.
import type { InsnFields, OpSpec } from '../isa/index.js';
import type { Token } from './lexer.js';
import type { Target } from './ast.js';
import { relative, type LineCtx } from './values.js';

export interface Pending {
  spec: OpSpec;
  fields: InsnFields;
  /** A label to resolve into `off` (jumps) or `imm` (ja32, call local). */
  label?: { tok: Token; field: 'off' | 'imm' };
}

/** Which field holds the relative target for this shape. */
export const targetField = (spec: OpSpec): 'off' | 'imm' => (spec.shape === 'ja32' || spec.shape === 'call_local' ? 'imm' : 'off');

/** Build a pending instruction whose target is a number (set now) or a label (later). */
export function withTarget(ctx: LineCtx, spec: OpSpec, fields: InsnFields, target: Target): Pending {
  const field = targetField(spec);
  if (target.kind === 'label') return { spec, fields, label: { tok: target.tok, field } };
  return { spec, fields: { ...fields, [field]: relative(ctx, target, field === 'off' ? 16 : 32) } };
}
