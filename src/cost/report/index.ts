// The HTML report of `xdplab compare`: self-contained (inline SVG charts from ECharts' server-side
// renderer, inline CSS), written by the CLI.
export { reportHtml, esc, type ReportOptions } from './html.js';
export { cyclesChart, coresChart, insnsChart, pathsChart, familyOf, FAMILIES } from './charts.js';
