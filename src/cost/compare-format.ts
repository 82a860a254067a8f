// The comparison as text for people (a table per placement, breakdowns, reasons; for a topology
// also the pipeline's per-path counts) and as JSON for machines (`{ placements: [{ name,
// hostCyclesPerPacket, mppsPerCore, coresNeeded, offloadable, reasons, breakdown }], ... }`).
import type { CompareResult, PlacementResult } from './compare.js';

const num = (v: number, digits = 1): string => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(digits));

export function formatLatency(ns: number | null): string {
  if (ns === null) return '-';
  return ns >= 1000 ? `${(ns / 1000).toFixed(1)} us` : `${ns.toFixed(0)} ns`;
}

export function formatMpps(m: number | null): string {
  return m === null ? 'no host work' : m.toFixed(2);
}

function pad(cols: string[][], right: boolean[]): string[] {
  const w = cols[0]!.map((_, i) => Math.max(...cols.map((r) => r[i]!.length)));
  return cols.map((r) => r.map((c, i) => (right[i] ? c.padStart(w[i]!) : c.padEnd(w[i]!))).join('  ').trimEnd());
}

/** The header lines: what was compared, over what, at which rate, and what was measured. */
export function formatHeader(r: CompareResult): string[] {
  const meas = r.measured;
  const v = Object.entries(meas.verdicts).map(([k, n]) => `${k} ${n} (${((100 * n) / Math.max(1, meas.packets)).toFixed(0)}%)`).join(', ');
  const d = meas.insns;
  const t = r.topology;
  const what = t
    ? `${r.subject.name}: topology ${t.name} (${t.description || t.function}), run through the pipeline`
    : `${r.subject.name}: ${r.subject.kind === 'rules' ? 'rule set compiled to ' : ''}program ${r.subject.program} (${r.subject.staticInsns} instructions)`;
  const out = [
    what,
    `traffic ${r.traffic.name}: ${r.traffic.frames} frames, mean ${r.traffic.meanFrameBytes.toFixed(1)} B on the wire (with FCS)`,
    `profile ${r.profile.name} (${r.profile.ghz} GHz)${r.nic ? `, NIC ${r.nic.name}` : ''}; offered ${r.rate.gbps !== null ? `${+r.rate.gbps.toPrecision(4)} Gb/s = ` : ''}${r.rate.offeredMpps.toFixed(2)} Mpps`,
  ];
  if (t && meas.packets === 0 && t.nic) {
    out.push(`measured by the pipeline: NIC tables handled ${t.nic.handled} of ${t.nic.in} packets, ${t.nic.fallback} (${(100 * t.nic.fallbackFraction).toFixed(1)}%) fell back to the host`
      + (Object.keys(t.nic.reasons).length ? ` (${Object.entries(t.nic.reasons).map(([k, n]) => `${k} ${n}`).join(', ')})` : ''));
  } else {
    const by = t ? `measured by the pipeline (program ${r.subject.program} at ${t.programs.map((x) => x.where).join(', ') || '-'})` : 'measured';
    out.push(`${by} per packet: ${d.mean.toFixed(1)} instructions (p50 ${d.p50}, p99 ${d.p99}, max ${d.max}), ${meas.helperCalls.mean.toFixed(2)} helper calls, ${meas.mapAccesses.mean.toFixed(2)} map operations; verdicts: ${v || 'none'}`);
  }
  return out;
}

/** The pipeline's per-path counts of a topology comparison (empty for a program). */
export function formatPaths(r: CompareResult): string[] {
  const t = r.topology;
  if (!t) return [];
  const cols = ['in', 'tx', 'redirected', 'delivered', 'dropped', 'queued', 'passed'] as const;
  const rows = [['path', ...cols], ...Object.entries(t.paths).map(([name, p]) => [name, ...cols.map((c) => String(p[c]))])];
  rows.push(['total', String(t.totals.in), String(t.totals.tx), String(t.totals.redirected), String(t.totals.delivered), String(t.totals.dropped), String(t.totals.queued), '']);
  const out = pad(rows, [false, ...cols.map(() => true)]);
  const drops = Object.entries(t.paths).flatMap(([name, p]) => Object.entries(p.drops).map(([why, n]) => `${name} ${why} ${n}`));
  if (drops.length) out.push(`drops: ${drops.join(', ')}`);
  return out;
}

export function formatTable(ps: readonly PlacementResult[]): string[] {
  const rows = [['placement', 'host cycles/pkt', 'Mpps/core', 'cores', 'latency', 'offloadable']];
  for (const p of ps) {
    rows.push([p.name, num(p.hostCyclesPerPacket), formatMpps(p.mppsPerCore), String(p.coresNeeded), formatLatency(p.latencyNs), p.offloadable ? 'yes' : 'no']);
  }
  return pad(rows, [false, true, true, true, true, false]);
}

export function formatCompare(r: CompareResult): string {
  const paths = formatPaths(r);
  const out = [...formatHeader(r), ...(paths.length ? ['', 'pipeline run, packets per path:', ...paths.map((l) => `  ${l}`)] : []),
    '', ...formatTable(r.placements), '', 'breakdown (host cycles per packet):'];
  for (const p of r.placements) {
    const parts = [...p.breakdown].sort((a, b) => b.cycles - a.cycles).map((b) => `${b.part} ${num(b.cycles)}`);
    out.push(`  ${p.name}: ${parts.length ? parts.join(', ') : 'none (the host does no work)'}`);
  }
  const blocked = r.placements.filter((p) => !p.offloadable);
  if (blocked.length) {
    out.push('', 'not possible:');
    for (const p of blocked) for (const reason of p.reasons) out.push(`  ${p.name}: ${reason}`);
  }
  if (r.offload) out.push('', `xdp-offload: ${offloadSource(r)}`);
  const lr = r.lineRate;
  out.push('', `line rate: ${lr.gbps} GbE at ${lr.frameBytes} B is ${lr.mpps.toFixed(2)} Mpps, ${lr.frameNs.toFixed(1)} ns per frame = ${lr.budgetCycles.toFixed(0)} cycles at ${lr.ghz} GHz`);
  // The verifier's fallback note is printed once, above.
  const notes = [...r.notes, ...new Set(r.placements.flatMap((p) => p.notes.filter((n) => n !== r.offload?.note).map((n) => `${p.name}: ${n}`)))];
  if (notes.length) out.push('', 'notes:', ...notes.map((n) => `  ${n}`));
  return out.join('\n') + '\n';
}

/** Who decided whether the program can be offloaded. */
export function offloadSource(r: CompareResult): string {
  const o = r.offload;
  if (!o) return '';
  if (o.checkedBy === 'cost model') return o.note ?? 'reasons from the cost model (the verifier could not check the program)';
  const blocks = o.reasons.filter((x) => x.severity === 'blocks').length;
  return blocks ? `the verifier (--target hw) names ${blocks} reason${blocks > 1 ? 's' : ''} the NIC cannot load the program` : 'the verifier (--target hw) finds nothing that keeps the program off the NIC';
}

/** JSON text; infinite rates are null (the host does no work there). */
export function compareJson(r: CompareResult | { comparisons: CompareResult[]; [k: string]: unknown }): string {
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}
