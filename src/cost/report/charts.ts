// The report's charts, drawn to SVG strings in Node by Apache ECharts' server-side renderer
// (no DOM, no browser, no network): cycles per packet by placement (stacked by what the cycles
// pay for, with the 10 GbE 64-byte budget as a reference line), cores needed as the offered
// rate goes from 0 to 100 Gb/s, and the distribution of executed instructions per packet.
import { createRequire } from 'node:module';
import type * as Echarts from 'echarts';
import { coresCurve, type CompareResult } from '../compare.js';

// Loaded on first use (its bundle takes most of a second to load), so commands that never draw
// a chart do not pay for it.
let lib: typeof Echarts | undefined;
function echarts(): typeof Echarts {
  lib ??= createRequire(import.meta.url)('echarts') as typeof Echarts;
  return lib;
}

export const CHART_WIDTH = 1000;
export const CHART_HEIGHT = 420;

/** What a breakdown part pays for (the stacks of the bar chart). */
export const FAMILIES = ['driver', 'XDP hook and action', 'eBPF program', 'maps', 'kernel stack', 'DPDK'] as const;

export function familyOf(part: string): typeof FAMILIES[number] {
  const p = part.replace(/^fallback\(\w+\) /, '');
  if (p.startsWith('driver.')) return 'driver';
  if (p.startsWith('xdp.')) return 'XDP hook and action';
  if (p.startsWith('map ') || p === 'fib trie') return 'maps';
  if (p.startsWith('ebpf.') || p.startsWith('helper ')) return 'eBPF program';
  if (p.startsWith('dpdk.')) return 'DPDK';
  return 'kernel stack';
}

/** One colour per placement, the same in every report. */
const PLACEMENT_COLORS: Record<string, string> = {
  smartnic: '#3ba272', 'xdp-offload': '#73c0de', 'xdp-native': '#5470c6', 'xdp-generic': '#9a60b4', dpdk: '#fc8452', kernel: '#ee6666',
};

const COLORS = ['#5470c6', '#91cc75', '#fac858', '#ee6666', '#73c0de', '#3ba272', '#fc8452', '#9a60b4'];

function render(option: Echarts.EChartsCoreOption, width = CHART_WIDTH, height = CHART_HEIGHT): string {
  const chart = echarts().init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, color: COLORS, backgroundColor: '#ffffff', textStyle: { fontFamily: 'sans-serif' }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

const label = (r: CompareResult, name: string): string => (r.placements.find((p) => p.name === name)?.offloadable === false ? `${name} (not possible)` : name);

/** Stacked bars: host cycles per packet per placement, by family, and the line-rate budget. */
export function cyclesChart(r: CompareResult): string {
  const names = r.placements.map((p) => label(r, p.name));
  const series = FAMILIES.map((fam) => ({
    name: fam, type: 'bar', stack: 'cycles', barMaxWidth: 60,
    data: r.placements.map((p) => +p.breakdown.filter((b) => familyOf(b.part) === fam).reduce((s, b) => s + b.cycles, 0).toFixed(1)),
  })).filter((s) => s.data.some((v) => v > 0));
  const lr = r.lineRate;
  const budget = +lr.budgetCycles.toFixed(1);
  const ref = {
    name: 'line-rate budget', type: 'line', data: [] as number[], itemStyle: { color: '#c23531' }, lineStyle: { type: 'dashed', color: '#c23531' }, symbol: 'none',
    markLine: {
      symbol: 'none', silent: true, lineStyle: { type: 'dashed', color: '#c23531', width: 2 },
      label: { formatter: `${lr.gbps} GbE, ${lr.frameBytes} B: ${lr.mpps.toFixed(2)} Mpps = ${lr.frameNs.toFixed(1)} ns = ${budget.toFixed(0)} cycles @ ${lr.ghz} GHz`, position: 'insideEndTop', color: '#c23531' },
      data: [{ yAxis: budget }],
    },
  };
  const max = Math.max(budget * 1.15, ...r.placements.map((p) => p.hostCyclesPerPacket * 1.05));
  return render({
    title: { text: 'Host CPU cycles per packet by placement', subtext: `${r.subject.name} over ${r.traffic.name}, profile ${r.profile.name}`, left: 'center' },
    legend: { top: 62, data: [...series.map((s) => s.name), 'line-rate budget'] },
    grid: { left: 70, right: 30, top: 105, bottom: 50 },
    xAxis: { type: 'category', data: names, axisLabel: { interval: 0 } },
    yAxis: { type: 'value', name: 'cycles / packet', max: Math.ceil(max / 50) * 50 },
    series: [...series, ref],
  });
}

/** Lines: whole cores needed per placement as the offered link rate goes from 0 to 100 Gb/s. */
export function coresChart(r: CompareResult): string {
  const curve = coresCurve(r, 100, 1);
  const series = r.placements.filter((p) => p.offloadable).map((p) => ({
    name: p.name, type: 'line', step: 'end', showSymbol: false, lineStyle: { width: 2 }, color: PLACEMENT_COLORS[p.name],
    data: curve.gbps.map((g, i) => [g, curve.cores[p.name]![i]!]),
  }));
  const offered = r.rate.gbps;
  if (offered !== null && offered <= 100 && series.length > 0) {
    (series[0] as Record<string, unknown>).markLine = {
      symbol: 'none', silent: true, lineStyle: { type: 'dashed', color: '#555' },
      label: { formatter: `offered: ${+offered.toPrecision(4)} Gb/s`, position: 'end' }, data: [{ xAxis: offered }],
    };
  }
  return render({
    title: { text: 'Host cores needed vs offered rate', subtext: `line rate for this traffic's size mix (mean ${r.traffic.meanFrameBytes.toFixed(0)} B + 20 B preamble and gap)`, left: 'center' },
    legend: { top: 62 },
    grid: { left: 70, right: 40, top: 105, bottom: 55 },
    xAxis: { type: 'value', name: 'offered rate (Gb/s)', nameLocation: 'middle', nameGap: 30, min: 0, max: 100 },
    yAxis: { type: 'value', name: 'cores', minInterval: 1 },
    series,
  });
}

/** Bars: how many packets executed how many instructions. */
export function insnsChart(r: CompareResult): string {
  const h = r.measured.insnsHistogram;
  return render({
    title: { text: 'Executed instructions per packet (measured in the VM)', subtext: `${r.measured.packets} packets; mean ${r.measured.insns.mean.toFixed(1)}, p99 ${r.measured.insns.p99}`, left: 'center' },
    grid: { left: 70, right: 30, top: 80, bottom: 55 },
    xAxis: { type: 'category', data: h.map(([x]) => String(x)), name: 'instructions', nameLocation: 'middle', nameGap: 30 },
    yAxis: { type: 'value', name: 'packets', minInterval: 1 },
    series: [{ name: 'packets', type: 'bar', data: h.map(([, n]) => n), barMaxWidth: 40 }],
  }, CHART_WIDTH, 320);
}

/** The outcomes of a pipeline path, in the order of the paths chart's stacks. */
const OUTCOMES = ['tx', 'redirected', 'delivered', 'dropped', 'queued', 'passed'] as const;
const OUTCOME_COLORS: Record<typeof OUTCOMES[number], string> = {
  tx: '#3ba272', redirected: '#73c0de', delivered: '#5470c6', dropped: '#ee6666', queued: '#fac858', passed: '#9a60b4',
};

/** Horizontal stacked bars: where the packets of each pipeline path ended (topology comparisons). */
export function pathsChart(r: CompareResult): string {
  const t = r.topology;
  if (!t) return '';
  const names = Object.keys(t.paths);
  const series = OUTCOMES.map((o) => ({
    name: o === 'passed' ? 'passed on (NIC to host)' : o, type: 'bar', stack: 'packets', barMaxWidth: 28, color: OUTCOME_COLORS[o],
    data: names.map((n) => t.paths[n]![o]),
  })).filter((s) => s.data.some((v) => v > 0));
  const sub = t.nic ? `NIC tables handled ${t.nic.handled} of ${t.nic.in} packets; ${t.nic.fallback} (${(100 * t.nic.fallbackFraction).toFixed(1)}%) fell back to the host`
    : `${t.totals.in} packets in, every one accounted for: ${t.totals.balanced ? 'yes' : 'NO'}`;
  return render({
    title: { text: `Where the packets went: ${t.name} over ${r.traffic.name}`, subtext: sub, left: 'center' },
    legend: { top: 62 },
    grid: { left: 90, right: 40, top: 100, bottom: 40 },
    xAxis: { type: 'value', name: 'packets', minInterval: 1 },
    yAxis: { type: 'category', data: names, inverse: true },
    series,
  }, CHART_WIDTH, Math.max(260, 140 + 40 * names.length));
}
