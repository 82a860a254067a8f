// A case's expectations: verdict, output packet (exact or field by field), redirect target,
// map contents and trace_printk lines, each checked against the program when the spec loads.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { MapSpec } from '../elf/index.js';
import { fieldSpec, layerSpec, parsePacket } from '../packet/index.js';
import type { Expectations, FieldExpect, MapExpect, RedirectExpect, Spec } from './types.js';
import { hexBytes, parseFieldValue, parseSized, parseVerdict, sizedBytes } from './values.js';
import { entries, integer, mapping, oneOrMany, scalarString, scalarText, type SpecSource } from './yaml-read.js';

type Pairs = Map<string, { key: Node; value: Node | null }>;

const CHECKSUM_VERDICTS = ['ok', 'bad', 'none', 'unknown'];

export function parseExpectations(src: SpecSource, m: Pairs, spec: Spec, packets: number): Expectations {
  const out: Expectations = { fields: [], maps: [] };
  const v = m.get('verdict')?.value;
  if (v !== undefined) {
    const list = isSeq(v) ? (v.items as Node[]).map((n) => parseVerdict(src, n)) : [parseVerdict(src, v)];
    if (isSeq(v) && list.length !== packets) src.fail(v, `verdict lists ${list.length} verdicts for ${packets} packet${packets === 1 ? '' : 's'}; give one for all or one per packet`);
    out.verdict = { value: list, where: src.where(v) };
  }
  if (m.has('output') && m.has('output_hex')) src.fail(m.get('output_hex')!.key, 'give output: (packet notation) or output_hex:, not both');
  const o = m.get('output')?.value;
  if (o !== undefined) out.output = { value: src.parseScalars([scalarString(src, o, 'output')], parsePacket), where: src.where(o) };
  const oh = m.get('output_hex')?.value;
  if (oh !== undefined) out.output = { value: hexBytes(src, oh, 'output_hex'), where: src.where(oh) };
  const e = m.get('expect')?.value;
  if (e !== undefined) {
    for (const f of entries(src, e, 'expect')) {
      if (f.name === 'layers') out.layers = { value: scalarText(src, f.value, 'layers').replace(/\s+/g, ''), where: src.where(f.value) };
      else out.fields.push(fieldExpect(src, f.name, f.key, f.value));
    }
  }
  const r = m.get('redirect')?.value;
  if (r !== undefined) out.redirect = { value: redirect(src, r, spec), where: src.where(r) };
  const maps = m.get('maps')?.value;
  if (maps !== undefined) {
    for (const mm of entries(src, maps, 'maps')) {
      const ms = spec.object.maps.find((x) => x.name === mm.name);
      if (!ms) src.fail(mm.key, `${spec.program} has no map named '${mm.name}'; it has: ${spec.object.maps.map((x) => x.name).join(', ') || 'none'}`);
      if (!isSeq(mm.value)) src.fail(mm.value, `maps.${mm.name} must be a list of entries (- key: ..., value: ...)`);
      for (const item of mm.value.items as Node[]) out.maps.push(mapEntry(src, item, ms, spec));
    }
  }
  const t = m.get('trace')?.value;
  if (t !== undefined) out.trace = { value: isSeq(t) && t.items.length === 0 ? [] : oneOrMany(t).map((n) => scalarText(src, n, 'trace line')), where: src.where(t) };
  return out;
}

function fieldExpect(src: SpecSource, path: string, key: Node, value: Node | null): FieldExpect {
  const p = /^([a-z0-9]+)(?:\[(\d+)\])?\.([a-z0-9_]+)$/i.exec(path);
  if (!p) src.fail(key, `expect keys are LAYER.FIELD (ipv4.ttl), LAYER[N].FIELD (ipv4[1].dst for the inner header) or layers; not '${path}'`);
  const layer = layerSpec(p[1]!);
  if (!layer) src.fail(key, `unknown layer '${p[1]}' in '${path}'`);
  const f = fieldSpec(layer, p[3]!);
  if (!f) src.fail(key, `${layer.name} has no field '${p[3]}'`, [`${layer.name} fields: ${layer.fields.map((x) => x.name).join(', ')}`]);
  const where = src.where(key);
  const nth = p[2] === undefined ? 0 : Number(p[2]);
  if (f.name === 'checksum' && isScalar(value) && typeof value.value === 'string' && CHECKSUM_VERDICTS.includes(value.value)) {
    return { path, layer: layer.name, nth, field: f.name, value: { checksum: value.value as 'ok' }, where };
  }
  return { path, layer: layer.name, nth, field: f.name, value: parseFieldValue(src, value, layer.name, f.name), where };
}

/** `redirect: 3` (ifindex), `{ ifindex: 3 }`, `{ map: tx_ports, key: 1 }`, or `none`. */
function redirect(src: SpecSource, node: Node | null, spec: Spec): RedirectExpect | null {
  if (node === null || (isScalar(node) && (node.value === null || node.value === 'none'))) return null;
  if (isScalar(node)) return { ifindex: integer(src, node, 'redirect ifindex', 0, 0xffffffff) };
  const m = mapping(src, node, 'redirect', ['ifindex', 'map', 'key']);
  if (m.has('ifindex')) {
    if (m.has('map') || m.has('key')) src.fail(node, 'redirect takes ifindex: N, or map: NAME with key: N');
    return { ifindex: integer(src, m.get('ifindex')!.value, 'ifindex', 0, 0xffffffff) };
  }
  if (!m.has('map') || !m.has('key')) src.fail(node, 'redirect takes ifindex: N, or map: NAME with key: N');
  const name = scalarText(src, m.get('map')!.value, 'redirect map');
  if (!spec.object.maps.some((x) => x.name === name)) src.fail(m.get('map')!.value, `${spec.program} has no map named '${name}'`);
  return { map: name, key: integer(src, m.get('key')!.value, 'redirect key', 0, 0xffffffff) };
}

function mapEntry(src: SpecSource, node: Node, ms: MapSpec, spec: Spec): MapExpect {
  if (!isMap(node)) src.fail(node, `an entry of maps.${ms.name} is key: and value: (or absent: true)`);
  const m = mapping(src, node, `an entry of maps.${ms.name}`, ['key', 'value', 'absent', 'cpu']);
  if (!m.has('key')) src.fail(node, `an entry of maps.${ms.name} needs key:`);
  const absent = m.get('absent')?.value;
  const isAbsent = absent !== undefined && isScalar(absent) && absent.value === true;
  if (absent !== undefined && !(isScalar(absent) && typeof absent.value === 'boolean')) src.fail(absent, 'absent must be true or false');
  if (isAbsent === m.has('value')) src.fail(node, `an entry of maps.${ms.name} needs value: (what the key holds) or absent: true, one of them`);
  const key = sizedBytes(parseSized(src, m.get('key')!.value, ms.keySize, `key of ${ms.name}`), ms.keySize);
  return {
    map: ms.name, key, where: src.where(node),
    value: isAbsent ? undefined : parseSized(src, m.get('value')!.value, ms.valueSize, `value of ${ms.name}`),
    cpu: m.has('cpu') ? integer(src, m.get('cpu')!.value, 'cpu', 0, spec.cpus - 1) : undefined,
  };
}
