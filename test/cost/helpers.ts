// Shared imports for the cost tests.
export * from '../../src/cost/index.js';
import { helperId } from '../../src/isa/index.js';

export function helperNameToId(name: string): number {
  const id = helperId(name);
  if (id === undefined) throw new Error(`unknown helper ${name}`);
  return id;
}
