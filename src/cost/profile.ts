// Load and validate a host cost profile. Every constant is `{ value, unit, source }` and may say
// `kind: "published" | "derived" | "assumed"`; a derived one must also say how (`derivation`).
// Unknown sections or keys, missing sources and wrong units are refused, naming the file and
// the key, with a 'semantic' diagnostic (the CLI exits 2).
import { fail } from '../diag/index.js';
import { HELPER_NAMES, helperId } from '../isa/index.js';
import { REQUIRED_KEYS, SCHEMA, UNITS, dimensionOf, type ConstKey, type Dimension, type Section } from './schema.js';

export type ConstKind = 'published' | 'derived' | 'assumed';

export interface Constant {
  value: number;
  unit: string;
  source: string;
  kind: ConstKind;
  derivation?: string;
}

export interface CostProfile {
  name: string;
  description: string;
  file: string;
  /** Core clock in GHz (= cycles per ns). */
  ghz: number;
  /** Every constant as written, by `section.key` (helpers as `helpers.<name>`). */
  constants: Record<string, Constant>;
  /** Value in canonical units: cycles for time, bytes, counts, pps, cycles/byte, cycles/insn. */
  get(key: ConstKey): number;
  /** A time constant in nanoseconds. */
  ns(key: ConstKey): number;
  /** Host cycles of one call to helper `id` (its entry or `helpers.default`). */
  helperCycles(id: number): number;
}

const TOP_KEYS = new Set(['name', 'description', ...Object.keys(SCHEMA)]);
const KINDS: readonly ConstKind[] = ['published', 'derived', 'assumed'];

/** Validate a parsed profile JSON; `file` names it in every error. */
export function loadCostProfile(json: unknown, file = '<profile>'): CostProfile {
  const bad = (key: string, msg: string): never => fail('semantic', `${file}: ${key ? `'${key}' ` : ''}${msg}`, { notes: [`see programs/profiles/README.md for the schema`] });
  if (typeof json !== 'object' || json === null || Array.isArray(json)) bad('', 'a cost profile must be a JSON object');
  const o = json as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!TOP_KEYS.has(k)) bad(k, `is not a known section (expected one of: ${[...TOP_KEYS].join(', ')})`);
  if (typeof o.name !== 'string' || o.name === '') bad('name', 'must be a non-empty string');
  const constants: Record<string, Constant> = {};
  for (const section of Object.keys(SCHEMA) as Section[]) {
    const raw = o[section];
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) bad(section, 'section is missing or not an object');
    const entries = raw as Record<string, unknown>;
    for (const [key, val] of Object.entries(entries)) {
      const dim = dimensionOf(section, key) ?? (section === 'helpers' ? helperDim(key) : undefined);
      if (!dim) bad(`${section}.${key}`, section === 'helpers' ? 'is not a helper name (see bpf_func_id)' : 'is not a known key');
      constants[`${section}.${key}`] = constant(val, dim!, `${section}.${key}`, bad);
    }
    const required = section === 'helpers' ? REQUIRED_KEYS.helpers! : Object.keys(SCHEMA[section]);
    for (const key of required) if (!(key in entries)) bad(`${section}.${key}`, 'is missing');
  }
  const ghz = constants['cpu.frequency']!.value;
  if (!(ghz > 0)) bad('cpu.frequency', 'must be positive');
  const canon = new Map<string, number>();
  for (const [k, c] of Object.entries(constants)) canon.set(k, toCanonical(c, ghz));
  const helperCache = new Map<number, number>();
  return {
    name: o.name as string,
    description: typeof o.description === 'string' ? o.description : '',
    file,
    ghz,
    constants,
    get: (key) => canon.get(key) ?? fail('semantic', `${file}: '${key}' is not set`),
    ns: (key) => (canon.get(key) ?? fail('semantic', `${file}: '${key}' is not set`)) / ghz,
    helperCycles(id) {
      let v = helperCache.get(id);
      if (v === undefined) {
        v = canon.get(`helpers.${HELPER_NAMES[id] ?? ''}`) ?? canon.get('helpers.default')!;
        helperCache.set(id, v);
      }
      return v;
    },
  };
}

function helperDim(name: string): Dimension | undefined {
  const id = helperId(name);
  return id !== undefined && id > 0 ? 'time' : undefined;
}

function constant(val: unknown, dim: Dimension, key: string, bad: (k: string, m: string) => never): Constant {
  if (typeof val !== 'object' || val === null || Array.isArray(val)) return bad(key, 'must be an object { value, unit, source }');
  const c = val as Record<string, unknown>;
  for (const k of Object.keys(c)) if (!['value', 'unit', 'source', 'kind', 'derivation'].includes(k)) bad(`${key}.${k}`, 'is not a known field (value, unit, source, kind, derivation)');
  if (typeof c.value !== 'number' || !Number.isFinite(c.value) || c.value < 0) bad(key, 'needs a finite non-negative number in "value"');
  if (typeof c.unit !== 'string' || !UNITS[dim].includes(c.unit)) bad(key, `needs "unit" one of ${UNITS[dim].join(', ')}`);
  if (typeof c.source !== 'string' || c.source.trim() === '') bad(key, 'needs a "source" naming where the number comes from');
  const kind = (c.kind ?? 'published') as ConstKind;
  if (!KINDS.includes(kind)) bad(key, `has "kind" ${JSON.stringify(c.kind)}; expected ${KINDS.join(', ')}`);
  if (kind === 'derived' && (typeof c.derivation !== 'string' || c.derivation.trim() === '')) bad(key, 'is derived and needs a "derivation" saying how');
  return { value: c.value as number, unit: c.unit as string, source: c.source as string, kind, derivation: c.derivation as string | undefined };
}

/** Time → cycles, sizes → bytes, rates → pps, per-byte → cycles/byte. */
function toCanonical(c: Constant, ghz: number): number {
  switch (c.unit) {
    case 'ns': return c.value * ghz;
    case 'us': return c.value * 1000 * ghz;
    case 'KiB': return c.value * 1024;
    case 'MiB': return c.value * 1024 * 1024;
    case 'Mpps': return c.value * 1e6;
    case 'ns/byte': return c.value * ghz;
    default: return c.value;
  }
}

/** A copy of a profile JSON with some constants' values replaced (`{ 'kernel.skbAlloc': 300 }`). */
export function overrideProfileJson(json: unknown, values: Record<string, number>): unknown {
  const copy = JSON.parse(JSON.stringify(json)) as Record<string, Record<string, { value: number }>>;
  for (const [key, v] of Object.entries(values)) {
    const [section, name] = key.split('.') as [string, string];
    const entry = copy[section]?.[name];
    if (!entry) fail('semantic', `override '${key}' names no constant of the profile`);
    entry.value = v;
  }
  return copy;
}
