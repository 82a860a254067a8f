// The comparison as text for people (a table per placement, breakdowns, reasons) and as JSON
// for machines (`{ placements: [{ name, hostCyclesPerPacket, mppsPerCore, coresNeeded,
// offloadable, reasons, breakdown }], ... }`).
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
  const out = [
    `${r.subject.name}: ${r.subject.kind === 'rules' ? 'rule set compiled to ' : ''}program ${r.subject.program} (${r.subject.staticInsns} instructions)`,
    `traffic ${r.traffic.name}: ${r.traffic.frames} frames, mean ${r.traffic.meanFrameBytes.toFixed(1)} B on the wire (with FCS)`,
    `profile ${r.profile.name} (${r.profile.ghz} GHz)${r.nic ? `, NIC ${r.nic.name}` : ''}; offered ${r.rate.gbps !== null ? `${+r.rate.gbps.toPrecision(4)} Gb/s = ` : ''}${r.rate.offeredMpps.toFixed(2)} Mpps`,
    `measured per packet: ${d.mean.toFixed(1)} instructions (p50 ${d.p50}, p99 ${d.p99}, max ${d.max}), ${meas.helperCalls.mean.toFixed(2)} helper calls, ${meas.mapAccesses.mean.toFixed(2)} map operations; verdicts: ${v || 'none'}`,
  ];
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
  const out = [...formatHeader(r), '', ...formatTable(r.placements), '', 'breakdown (host cycles per packet):'];
  for (const p of r.placements) {
    const parts = [...p.breakdown].sort((a, b) => b.cycles - a.cycles).map((b) => `${b.part} ${num(b.cycles)}`);
    out.push(`  ${p.name}: ${parts.length ? parts.join(', ') : 'none (the host does no work)'}`);
  }
  const blocked = r.placements.filter((p) => !p.offloadable);
  if (blocked.length) {
    out.push('', 'not possible:');
    for (const p of blocked) for (const reason of p.reasons) out.push(`  ${p.name}: ${reason}`);
  }
  const lr = r.lineRate;
  out.push('', `line rate: ${lr.gbps} GbE at ${lr.frameBytes} B is ${lr.mpps.toFixed(2)} Mpps, ${lr.frameNs.toFixed(1)} ns per frame = ${lr.budgetCycles.toFixed(0)} cycles at ${lr.ghz} GHz`);
  const notes = [...r.notes, ...new Set(r.placements.flatMap((p) => p.notes.map((n) => `${p.name}: ${n}`)))];
  if (notes.length) out.push('', 'notes:', ...notes.map((n) => `  ${n}`));
  return out.join('\n') + '\n';
}

/** JSON text; infinite rates are null (the host does no work there). */
export function compareJson(r: CompareResult | { comparisons: CompareResult[]; [k: string]: unknown }): string {
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}
