// Comparing what a case's runs gave with what the case expects. Each check returns failures
// with a one-line message and detail lines (field-level packet diffs, expected and got).
import { isPerCpu, round8, type BpfMap } from '../maps/index.js';
import { diffPackets, dissect, fieldSpec, formatPacket, formatValue, layerSpec, type FieldValue, type Layer } from '../packet/index.js';
import type { RedirectTarget } from '../vm/helpers/index.js';
import type { TestRunResult } from '../vm/runtime/index.js';
import type { Case, Failure, FieldExpect, MapExpect, RedirectExpect } from './types.js';
import { leInt, sizedBytes, verdictName } from './values.js';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

export function checkCase(c: Case, runs: TestRunResult[], map: (name: string) => BpfMap): Failure[] {
  const out: Failure[] = [];
  const last = runs[runs.length - 1]!;
  const x = c.expect;
  if (x.verdict) {
    runs.forEach((r, i) => {
      const want = x.verdict!.value[x.verdict!.value.length === 1 ? 0 : i]!;
      if (r.retval === want) return;
      const which = runs.length > 1 ? ` of packet ${i + 1}` : '';
      out.push({ check: 'verdict', message: `verdict${which}: expected ${verdictName(want)}, got ${verdictName(r.retval)}`, details: [], where: x.verdict!.where });
    });
  }
  if (x.output) {
    const diff = diffPackets(x.output.value, last.dataOut);
    const same = x.output.value.length === last.dataOut.length && x.output.value.every((b, i) => b === last.dataOut[i]);
    if (!same) {
      out.push({
        check: 'output', message: `output packet: ${diff.length ? diff[0] : 'bytes differ'}${diff.length > 1 ? ` (and ${diff.length - 1} more)` : ''}`,
        details: [...diff, `expected: ${formatPacket(x.output.value)}`, `got:      ${formatPacket(last.dataOut)}`], where: x.output.where,
      });
    }
  }
  const layers = x.layers || x.fields.length ? dissect(last.dataOut) : [];
  if (x.layers) {
    const got = layers.map((l) => l.name).join('/');
    if (got !== x.layers.value) out.push({ check: 'layers', message: `layers: expected ${x.layers.value}, got ${got || 'nothing'}`, details: [], where: x.layers.where });
  }
  for (const f of x.fields) {
    const msg = checkField(f, layers);
    if (msg) out.push({ check: 'field', message: msg, details: [], where: f.where });
  }
  if (x.redirect) {
    const msg = checkRedirect(x.redirect.value, last.redirect);
    if (msg) out.push({ check: 'redirect', message: msg, details: [], where: x.redirect.where });
  }
  for (const m of x.maps) {
    const msg = checkMap(m, map(m.map), c.cpu);
    if (msg) out.push({ check: `map ${m.map}`, message: msg, details: [], where: m.where });
  }
  if (x.trace) {
    const got = runs.flatMap((r) => r.trace.map((l) => l.replace(/\n$/, '')));
    const want = x.trace.value;
    if (got.length !== want.length || got.some((l, i) => l !== want[i])) {
      const i = got.findIndex((l, k) => l !== want[k]);
      const at = i < 0 ? Math.min(got.length, want.length) : i;
      out.push({
        check: 'trace',
        message: `trace line ${at + 1}: expected ${want[at] === undefined ? 'no more lines' : JSON.stringify(want[at])}, got ${got[at] === undefined ? 'no more lines' : JSON.stringify(got[at])}`,
        details: [...want.map((l) => `expected: ${l}`), ...got.map((l) => `got:      ${l}`)], where: x.trace.where,
      });
    }
  }
  return out;
}

function checkField(f: FieldExpect, layers: Layer[]): string | undefined {
  const found = layers.filter((l) => l.name === f.layer)[f.nth];
  const label = f.path;
  const spec = fieldSpec(layerSpec(f.layer)!, f.field)!;
  const show = (v: FieldValue | undefined): string => (v === undefined ? 'nothing' : formatValue(spec, v));
  if (typeof f.value === 'object' && !(f.value instanceof Uint8Array)) {
    const want = f.value.checksum;
    const got = found?.checksum?.verdict;
    if (got === want) return undefined;
    const detail = found?.checksum?.expected !== undefined ? ` (it is ${show(found.fields.checksum)}, correct would be ${show(found.checksum.expected)})` : '';
    return `${label}: expected a checksum that is ${want}, got ${found ? got ?? 'no checksum' : `no ${f.layer} layer`}${detail}`;
  }
  const want = f.value as FieldValue;
  if (!found) return `${label}: expected ${show(want)}, got no ${f.nth ? `${f.layer}[${f.nth}]` : f.layer} layer (layers: ${layers.map((l) => l.name).join('/') || 'none'})`;
  const got = found.fields[f.field];
  if (same(want, got)) return undefined;
  return `${label}: expected ${show(want)}, got ${show(got)}`;
}

function same(a: FieldValue, b: FieldValue | undefined): boolean {
  if (typeof a === 'number' || typeof b === 'number' || b === undefined) return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function describeTarget(r: RedirectTarget | undefined): string {
  if (!r) return 'no redirect';
  return r.kind === 'ifindex' ? `ifindex ${r.index}` : `${r.kind} '${r.map}' key ${r.index}`;
}

function checkRedirect(want: RedirectExpect | null, got: RedirectTarget | undefined): string | undefined {
  const wantText = want === null ? 'no redirect' : 'ifindex' in want ? `ifindex ${want.ifindex}` : `map '${want.map}' key ${want.key}`;
  const ok = want === null ? got === undefined
    : 'ifindex' in want ? got?.kind === 'ifindex' && got.index === want.ifindex
    : got !== undefined && got.kind !== 'ifindex' && got.map === want.map && got.index === want.key;
  return ok ? undefined : `redirect: expected ${wantText}, got ${describeTarget(got)}`;
}

function checkMap(m: MapExpect, map: BpfMap, caseCpu: number): string | undefined {
  const V = map.spec.valueSize;
  const label = `map ${m.map} key ${hex(m.key)}`;
  const got = map.lookupElem(m.key);
  if (m.value === undefined) return got === undefined ? undefined : `${label}: expected no entry, got ${hex(got.subarray(0, V))}`;
  if (got === undefined) return `${label}: expected ${'int' in m.value ? m.value.int : hex(m.value.bytes)}, got no entry`;
  const perCpu = isPerCpu(map.spec.type);
  if ('int' in m.value) {
    let sum = 0n;
    for (let off = 0; off < got.length; off += perCpu ? round8(V) : got.length) sum += leInt(got.subarray(off, off + V));
    const want = BigInt.asUintN(8 * V, m.value.int);
    if (BigInt.asUintN(8 * V, sum) === want) return undefined;
    // Show numbers the way the spec wrote them: signed when the expectation is negative.
    const shown = m.value.int < 0n ? BigInt.asIntN(8 * V, sum) : sum;
    return `${label}: expected ${m.value.int}, got ${shown}${perCpu ? ' (sum over CPUs)' : ''}`;
  }
  const cpu = perCpu ? m.cpu ?? caseCpu : 0;
  const copy = got.subarray(cpu * round8(V), cpu * round8(V) + V);
  const want = sizedBytes(m.value, V);
  const at = want.findIndex((b, i) => b !== copy[i]);
  if (at < 0) return undefined;
  const where = V > 8 ? ` (first difference at byte ${at})` : '';
  return `${label}${perCpu ? ` (CPU ${cpu})` : ''}: expected ${hex(want)}, got ${hex(copy)}${where}`;
}
