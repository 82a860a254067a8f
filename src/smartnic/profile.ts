// NIC profiles (programs/profiles/nic-*.json): table capacities and supported features. Every
// constant carries the source it comes from; a profile missing one is refused.
import { fail } from '../diag/index.js';

interface Sourced<T> { value: T; source: string }

export const CAPACITY_KEYS = ['interfaces', 'nexthops', 'labels', 'vnis', 'routes', 'bridge', 'flows', 'holdLimit', 'flowQueue'] as const;
export const FEATURE_KEYS = ['mplsogre', 'mplsoudp', 'vxlan', 'ipv6', 'nat', 'ecmp', 'vrfTranslate', 'fragmentation'] as const;
export type CapacityKey = typeof CAPACITY_KEYS[number];
export type FeatureKey = typeof FEATURE_KEYS[number];

export interface NicProfile {
  name: string;
  description: string;
  capacity: Record<CapacityKey, number>;
  features: Record<FeatureKey, boolean>;
  sources: Record<string, string>;
}

/** Validate a parsed profile JSON (`file` names it in errors). */
export function loadProfile(json: unknown, file = '<profile>'): NicProfile {
  const bad = (msg: string): never => fail('semantic', `${file}: ${msg}`);
  if (typeof json !== 'object' || json === null) bad('a NIC profile must be a JSON object');
  const o = json as Record<string, unknown>;
  const out: NicProfile = {
    name: typeof o.name === 'string' ? o.name : bad("missing 'name'"),
    description: typeof o.description === 'string' ? o.description : '',
    capacity: {} as NicProfile['capacity'],
    features: {} as NicProfile['features'],
    sources: {},
  };
  const section = (name: string): Record<string, Sourced<unknown>> => {
    const s = o[name];
    if (typeof s !== 'object' || s === null) bad(`missing section '${name}'`);
    return s as Record<string, Sourced<unknown>>;
  };
  const cap = section('capacity');
  for (const k of CAPACITY_KEYS) {
    const e = cap[k];
    if (!e || !Number.isInteger(e.value) || (e.value as number) < 0) bad(`capacity.${k} needs an integer 'value'`);
    if (typeof e!.source !== 'string' || e!.source === '') bad(`capacity.${k} needs a 'source'`);
    out.capacity[k] = e!.value as number;
    out.sources[`capacity.${k}`] = e!.source;
  }
  const feat = section('features');
  for (const k of FEATURE_KEYS) {
    const e = feat[k];
    if (!e || typeof e.value !== 'boolean') bad(`features.${k} needs a boolean 'value'`);
    if (typeof e!.source !== 'string' || e!.source === '') bad(`features.${k} needs a 'source'`);
    out.features[k] = e!.value as boolean;
    out.sources[`features.${k}`] = e!.source;
  }
  for (const k of Object.keys(cap)) if (!(CAPACITY_KEYS as readonly string[]).includes(k)) bad(`unknown capacity '${k}'`);
  for (const k of Object.keys(feat)) if (!(FEATURE_KEYS as readonly string[]).includes(k)) bad(`unknown feature '${k}'`);
  return out;
}

/** The vRouter defaults with every feature on: what the host datapath itself would hold. */
export function defaultProfile(): NicProfile {
  const src = 'tf-vrouter defaults (domain.md §1.1)';
  return {
    name: 'vrouter-defaults',
    description: 'vRouter default table sizes, all features',
    capacity: { interfaces: 4355, nexthops: 524288, labels: 5120, vnis: 16777216, routes: 4000000, bridge: 262144, flows: 524288, holdLimit: 8192, flowQueue: 3 },
    features: { mplsogre: true, mplsoudp: true, vxlan: true, ipv6: true, nat: true, ecmp: true, vrfTranslate: true, fragmentation: false },
    sources: { all: src },
  };
}
