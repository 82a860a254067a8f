// The report's stylesheet, inlined into the HTML (the report must open without a network).
export const STYLE = `
body { margin: 0; background: #f6f7f9; color: #1d2330; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 1060px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 20px; margin: 36px 0 8px; border-bottom: 1px solid #dde1e7; padding-bottom: 4px; }
.sub { color: #667085; font-weight: normal; font-size: 14px; }
.small { font-size: 13px; color: #444; }
.budget { background: #fff4f2; border-left: 4px solid #c23531; padding: 8px 12px; }
pre.head { background: #f3f5f8; padding: 10px 12px; font-size: 13px; white-space: pre-wrap; border-radius: 4px; }
table { border-collapse: collapse; margin: 10px 0 18px; font-size: 13.5px; }
th, td { border: 1px solid #dde1e7; padding: 4px 8px; text-align: right; vertical-align: top; }
thead th { background: #eef1f5; text-align: center; }
tbody th { text-align: left; font-weight: 600; white-space: nowrap; }
table.numbers { width: 100%; }
h3 { font-size: 16px; margin: 18px 0 4px; }
table.paths td.why { text-align: left; font-size: 12.5px; color: #b42318; }
td.why, td.src { text-align: left; font-size: 12.5px; color: #444; }
tr.blocked th, tr.blocked td { color: #98a2b3; }
tr.blocked td.why { color: #b42318; }
tr.total th, tr.total td { font-weight: 700; background: #f8f9fb; }
.chart { margin: 14px 0; border: 1px solid #e4e7ec; border-radius: 6px; overflow: hidden; }
.chart svg { display: block; width: 100%; height: auto; }
details { margin: 10px 0; }
summary { cursor: pointer; color: #344054; font-weight: 600; }
table.sources { font-size: 12px; }
table.sources td.src { max-width: 620px; }
ul.toc { columns: 2; font-size: 14px; }
footer { margin-top: 40px; color: #98a2b3; font-size: 12px; }
`;
