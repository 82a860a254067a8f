// The comparison report: one self-contained HTML file (inline CSS and inline SVG charts, no
// script, no network) with, per comparison, the numbers table, the charts and the detailed
// breakdown (for a topology also where the pipeline run's packets went, per path), then every
// constant of the cost profile with its source.
import type { CompareResult } from '../compare.js';
import { formatHeader, formatLatency, formatMpps, offloadSource } from '../compare-format.js';
import type { CostProfile } from '../profile.js';
import { coresChart, cyclesChart, insnsChart, pathsChart } from './charts.js';
import { STYLE } from './style.js';

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const n1 = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1));

function numbersTable(r: CompareResult): string {
  const rows = r.placements.map((p) => `<tr class="${p.offloadable ? '' : 'blocked'}"><th>${esc(p.name)}</th><td>${n1(p.hostCyclesPerPacket)}</td>`
    + `<td>${esc(formatMpps(p.mppsPerCore))}</td><td>${p.coresNeeded}</td><td>${esc(formatLatency(p.latencyNs))}</td>`
    + `<td>${p.offloadable ? 'yes' : 'no'}</td><td class="why">${p.reasons.map(esc).join('<br>') || ''}</td></tr>`);
  return `<table class="numbers"><thead><tr><th>placement</th><th>host cycles / packet</th><th>Mpps / core</th>`
    + `<th>cores at ${r.rate.offeredMpps.toFixed(2)} Mpps</th><th>latency</th><th>possible</th><th>why not</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function breakdownTable(r: CompareResult): string {
  const parts = [...new Set(r.placements.flatMap((p) => p.breakdown.map((b) => b.part)))];
  const head = `<tr><th>part</th>${r.placements.map((p) => `<th>${esc(p.name)}</th>`).join('')}</tr>`;
  const rows = parts.map((part) => `<tr><th>${esc(part)}</th>${r.placements.map((p) => {
    const c = p.breakdown.find((b) => b.part === part)?.cycles;
    return `<td>${c === undefined ? '' : n1(c)}</td>`;
  }).join('')}</tr>`);
  const total = `<tr class="total"><th>total</th>${r.placements.map((p) => `<td>${n1(p.hostCyclesPerPacket)}</td>`).join('')}</tr>`;
  return `<details><summary>Breakdown of host cycles per packet (every part is a profile constant, a helper or a map)</summary>`
    + `<table class="breakdown"><thead>${head}</thead><tbody>${rows.join('')}${total}</tbody></table></details>`;
}

function measuredList(r: CompareResult): string {
  const m = r.measured;
  const items = [
    ...Object.entries(m.helpers).map(([k, v]) => `${k}: ${v.toFixed(2)} calls/packet`),
    ...Object.entries(m.maps).map(([k, v]) => `map ${k}: ${v.toFixed(2)} operations/packet`),
  ];
  return items.length ? `<p class="small">Helpers and maps: ${items.map(esc).join('; ')}.</p>` : '';
}

/** A topology's pipeline run: packets per path and where they ended. */
function pathsTable(r: CompareResult): string {
  const t = r.topology;
  if (!t) return '';
  const cols = ['in', 'tx', 'redirected', 'delivered', 'dropped', 'queued', 'passed'] as const;
  const rows = Object.entries(t.paths).map(([name, p]) => `<tr><th>${esc(name)}</th>${cols.map((c) => `<td>${p[c]}</td>`).join('')}`
    + `<td class="why">${Object.entries(p.drops).map(([k, n]) => `${esc(k)} ${n}`).join('<br>')}</td></tr>`);
  const total = `<tr class="total"><th>total</th>${cols.map((c) => `<td>${c === 'passed' ? '' : t.totals[c]}</td>`).join('')}<td></td></tr>`;
  const fb = t.nic && Object.keys(t.nic.reasons).length
    ? `<p class="small">Fallbacks to the host by reason: ${Object.entries(t.nic.reasons).map(([k, n]) => `${esc(k)} ${n}`).join(', ')}.</p>` : '';
  return `<h3>Pipeline run: packets per path</h3><table class="paths"><thead><tr><th>path</th>${cols.map((c) => `<th>${c}</th>`).join('')}<th>drops</th></tr></thead>`
    + `<tbody>${rows.join('')}${total}</tbody></table>${fb}`;
}

function section(r: CompareResult, i: number): string {
  const notes = [...r.notes, ...new Set(r.placements.flatMap((p) => p.notes.map((n) => `${p.name}: ${n}`)))];
  const kind = r.topology ? 'topology ' : '';
  return `<section id="c${i}"><h2>${kind}${esc(r.subject.name)} <span class="sub">over ${esc(r.traffic.name)}</span></h2>`
    + `<pre class="head">${esc(formatHeader(r).join('\n'))}</pre>`
    + pathsTable(r)
    + numbersTable(r)
    + (r.offload ? `<p class="small">xdp-offload: ${esc(offloadSource(r))}.</p>` : '')
    + `<div class="chart">${cyclesChart(r)}</div>`
    + `<div class="chart">${coresChart(r)}</div>`
    + (r.topology ? `<div class="chart">${pathsChart(r)}</div>` : '')
    + (r.measured.packets > 0 || !r.topology ? `<div class="chart">${insnsChart(r)}</div>` : '')
    + measuredList(r)
    + breakdownTable(r)
    + (notes.length ? `<details><summary>Notes</summary><ul>${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></details>` : '')
    + `</section>`;
}

function sourcesTable(p: CostProfile): string {
  const rows = Object.entries(p.constants).map(([k, c]) => `<tr><th>${esc(k)}</th><td>${c.value}</td><td>${esc(c.unit)}</td><td>${esc(c.kind)}</td>`
    + `<td class="src">${esc(c.source)}${c.derivation ? `<br><i>${esc(c.derivation)}</i>` : ''}</td></tr>`);
  return `<section id="sources"><h2>Cost profile ${esc(p.name)} <span class="sub">${esc(p.file)}</span></h2><p>${esc(p.description)}</p>`
    + `<table class="sources"><thead><tr><th>constant</th><th>value</th><th>unit</th><th>kind</th><th>source</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

export interface ReportOptions {
  title?: string;
  /** Shown under the title (e.g. the command line). */
  subtitle?: string;
}

/** The whole report for one or more comparisons priced with `profile`. */
export function reportHtml(results: readonly CompareResult[], profile: CostProfile, opts: ReportOptions = {}): string {
  const title = opts.title ?? 'xdplab: offload vs host CPU cost';
  const lr = results[0]?.lineRate;
  const toc = results.map((r, i) => `<li><a href="#c${i}">${r.topology ? 'topology ' : ''}${esc(r.subject.name)} over ${esc(r.traffic.name)}</a></li>`).join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${esc(title)}</h1>
${opts.subtitle ? `<p class="sub">${esc(opts.subtitle)}</p>` : ''}
<p>What each rule set, program or topology costs the host CPU at each placement: on a SmartNIC's tables, as XDP offloaded to the NIC,
XDP in the driver (native) or on the skb (generic), in a DPDK poll-mode driver, or done by the Linux stack itself.
Instructions, helper calls and map operations were measured per packet by running the traffic through the xdplab VM
(for a topology, by running it through the xdplab pipeline, which also counts what the NIC tables handled);
every cycle comes from a constant of the cost profile, listed with its source at the end.</p>
${lr ? `<p class="budget">Reference: ${lr.gbps} GbE line rate with ${lr.frameBytes}-byte frames is ${lr.mpps.toFixed(2)} Mpps, one frame every ${lr.frameNs.toFixed(1)} ns:
${lr.budgetCycles.toFixed(0)} cycles at ${lr.ghz} GHz (${(lr.frameNs * 2).toFixed(0)} cycles at 2 GHz).</p>` : ''}
<ul class="toc">${toc}<li><a href="#sources">cost profile sources</a></li></ul>
${results.map(section).join('\n')}
${sourcesTable(profile)}
<footer>Generated by xdplab compare. Self-contained: no scripts, no network.</footer>
</main></body></html>
`;
}
