// What a loaded spec holds and what running it gives. Loading checks everything it can against
// the program (map names, key and value sizes, packet notation, field names), so a spec that
// loads runs without surprises; only the program's behaviour can fail a case.
import type { SourceLocation } from '../diag/index.js';
import type { BpfObject } from '../elf/index.js';
import type { SetupEntry } from '../maps/index.js';
import type { FieldValue } from '../packet/index.js';
import type { FibLookup } from '../vm/helpers/index.js';
import type { Expected } from './values.js';

export interface Located<T> { value: T; where: SourceLocation }

export interface Spec {
  /** The spec file as given on the command line. */
  file: string;
  /** The program relative to the working directory (as messages show it), and its absolute path. */
  program: string;
  programPath: string;
  object: BpfObject;
  prog?: string;
  cpus: number;
  seed?: number;
  fib?: FibLookup;
  /** Map updates before every case (reset) or once (carry): set elements of a .rules program, then `setup:`. */
  setup: SetupEntry[];
  /** `reset` (default): a fresh program and maps per case; `carry`: one for the whole spec, cases in order. */
  state: 'reset' | 'carry';
  cases: Case[];
}

export interface Case {
  name: string;
  /** Where the case starts in the spec (the `-` of its list item). */
  where: SourceLocation;
  /** Packets run one after the other (state carries between them within the case). */
  inputs: Uint8Array[];
  /** The program this case runs when not the spec's (state: reset only). */
  prog?: string;
  setup: SetupEntry[];
  repeat: number;
  cpu: number;
  ctxIn?: Uint8Array;
  skip?: string;
  expect: Expectations;
}

export interface FieldExpect {
  /** As written: `ipv4.ttl`, `ipv4[1].dst`, `udp.checksum`. */
  path: string;
  layer: string;
  /** Which occurrence of the layer (0 = outermost). */
  nth: number;
  field: string;
  /** A value, or a checksum verdict (`udp.checksum: ok`). */
  value: FieldValue | { checksum: 'ok' | 'bad' | 'none' | 'unknown' };
  where: SourceLocation;
}

export interface MapExpect {
  map: string;
  key: Uint8Array;
  /** undefined: the key must be absent. */
  value?: Expected;
  /** Per-CPU maps: compare this CPU's copy (bytes); integers compare the sum over CPUs. */
  cpu?: number;
  where: SourceLocation;
}

export type RedirectExpect = { ifindex: number } | { map: string; key: number };

export interface Expectations {
  /** One verdict for every packet, or one per packet. */
  verdict?: Located<number[]>;
  output?: Located<Uint8Array>;
  /** `layers: eth/ipv4/udp`: the dissected layer names. */
  layers?: Located<string>;
  fields: FieldExpect[];
  /** null: no redirect. */
  redirect?: Located<RedirectExpect | null>;
  maps: MapExpect[];
  trace?: Located<string[]>;
}

export interface Failure {
  /** What was checked: verdict, output, field, layers, redirect, map NAME, trace, error. */
  check: string;
  /** One line, e.g. `verdict: expected XDP_DROP (1), got XDP_PASS (2)`. */
  message: string;
  /** Detail lines (field-level packet diffs, map entries). */
  details: string[];
  where: SourceLocation;
}

export type CaseStatus = 'pass' | 'fail' | 'error' | 'skip';

export interface CaseResult {
  name: string;
  where: SourceLocation;
  status: CaseStatus;
  failures: Failure[];
  /** Skip reason. */
  reason?: string;
  /** Wall-clock milliseconds (reporters that show time: JUnit). */
  ms: number;
}

export interface SpecResult {
  file: string;
  program: string;
  cases: CaseResult[];
  ms: number;
}
