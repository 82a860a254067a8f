// Reference counts as `nh --list` prints them (Ref_cnt) and `vif --list` (Ref).
import type { TablesState } from '../model/types.js';

export function nhRefs(s: TablesState): Map<number, number> {
  const refs = new Map<number, number>();
  const inc = (id: number): void => { if (id >= 0) refs.set(id, (refs.get(id) ?? 0) + 1); };
  for (const v of Object.values(s.vifs)) inc(v.nh);
  for (const n of Object.values(s.nhs)) for (const m of n.members ?? []) inc(m.nh);
  for (const nh of Object.values(s.mpls)) inc(nh);
  for (const nh of Object.values(s.vxlan)) inc(nh);
  for (const r of Object.values(s.routes)) inc(r.nh);
  for (const b of Object.values(s.bridge)) inc(b.nh);
  for (const f of Object.values(s.flows)) inc(f.nh);
  return refs;
}

export function vifRefs(s: TablesState): Map<number, number> {
  const refs = new Map<number, number>();
  for (const n of Object.values(s.nhs)) if (n.vif >= 0) refs.set(n.vif, (refs.get(n.vif) ?? 0) + 1);
  return refs;
}

export const byNumber = <T>(rec: Record<string, T>): Array<[number, T]> =>
  Object.entries(rec).map(([k, v]) => [Number(k), v] as [number, T]).sort((a, b) => a[0] - b[0]);
