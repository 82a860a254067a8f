// The summary as text for people: totals, one row per path, drops by reason, ports.
import type { Summary } from './run.js';

const COLS = ['in', 'tx', 'redirected', 'delivered', 'dropped', 'queued', 'passed'] as const;

function table(rows: string[][]): string[] {
  const w = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((v, c) => (c === 0 ? v.padEnd(w[c]!) : v.padStart(w[c]!))).join('  ').trimEnd());
}

export function formatSummary(s: Summary): string {
  const out: string[] = [];
  out.push(`topology ${s.topology}, traffic ${s.traffic}`);
  out.push(`${s.in} packets in ${(s.virtualNs / 1e6).toFixed(3)} ms of virtual time; ${s.balanced ? 'every packet accounted for' : 'ACCOUNTING MISMATCH'}`);
  out.push('');
  const rows: string[][] = [['path', ...COLS]];
  for (const [name, p] of Object.entries(s.paths)) rows.push([name, ...COLS.map((c) => String(p[c]))]);
  rows.push(['total', String(s.in), String(s.tx), String(s.redirected), String(s.delivered), String(s.dropped), String(s.queued), '']);
  out.push(...table(rows));
  const drops: string[][] = [];
  for (const [name, p] of Object.entries(s.paths)) for (const [r, n] of Object.entries(p.drops)) drops.push([name, r, String(n)]);
  if (drops.length) { out.push('', 'drops'); out.push(...table([['path', 'reason', 'packets'], ...drops]).map((l) => `  ${l}`)); }
  const redirects: string[][] = [];
  for (const [name, p] of Object.entries(s.paths)) for (const [r, n] of Object.entries(p.redirects)) redirects.push([name, r, String(n)]);
  if (redirects.length) { out.push('', 'redirects'); out.push(...table([['path', 'target', 'packets'], ...redirects]).map((l) => `  ${l}`)); }
  out.push('', 'ports');
  out.push(...table([['port', 'out', 'pcap'], ...Object.entries(s.ports).map(([n, p]) => [n, String(p.tx), p.pcap ?? '-'])]).map((l) => `  ${l}`));
  if (s.lanes.length) {
    out.push('', 'host queues');
    const lr: string[][] = [['queue', 'offered', 'busy %', 'avg latency us', 'max latency us']];
    for (const l of s.lanes) {
      const c = l.counters as Record<string, unknown> & { latency?: { avgNs: number; maxNs: number }; cpu?: { busyNs: number; clockNs: number }; lcores?: { busyNs: number; clockNs: number }[] };
      const busy = c.cpu ? c.cpu.busyNs / Math.max(1, c.cpu.clockNs) : c.lcores?.length ? c.lcores.reduce((a, x) => a + x.busyNs / Math.max(1, x.clockNs), 0) / c.lcores.length : 0;
      lr.push([`q${l.lane}`, String(l.offered), (busy * 100).toFixed(1), ((c.latency?.avgNs ?? 0) / 1000).toFixed(2), ((c.latency?.maxNs ?? 0) / 1000).toFixed(2)]);
    }
    out.push(...table(lr).map((l) => `  ${l}`));
  }
  out.push('', `wall clock: ${s.wall.seconds.toFixed(3)} s, ${Math.round(s.wall.packetsPerSecond)} packets/s`);
  return out.join('\n') + '\n';
}

/** The machine form: totals, then the same per path and per drop reason. */
export function summaryJson(s: Summary): Record<string, unknown> {
  const pick = (p: { in: number; tx: number; redirected: number; delivered: number; dropped: number; queued: number }) =>
    ({ in: p.in, tx: p.tx, redirected: p.redirected, delivered: p.delivered, dropped: p.dropped, queued: p.queued });
  return {
    topology: s.topology, traffic: s.traffic, ...pick(s), balanced: s.balanced,
    paths: Object.fromEntries(Object.entries(s.paths).map(([n, p]) => [n, { ...pick(p), passed: p.passed, drops: p.drops, redirects: p.redirects }])),
    drops: s.drops, ports: s.ports, virtualNs: s.virtualNs, lanes: s.lanes, wall: s.wall,
  };
}
