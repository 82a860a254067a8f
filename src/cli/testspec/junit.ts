// JUnit XML as CI systems read it (the Jenkins / Ant junit-10.xsd conventions): <testsuites>
// holding one <testsuite> per spec file, one <testcase> per case with <failure>, <error> or
// <skipped>. Attribute and text content are escaped; characters XML 1.0 cannot hold are shown
// as \xNN. Times are seconds with millisecond precision.
import type { CaseResult, SpecResult } from '../../testspec/index.js';
import { at, count, countAll } from './summary.js';

export interface JunitOptions {
  /** When the run started (testsuite timestamps). */
  now: Date;
  hostname: string;
}

export function junitReport(specs: readonly SpecResult[], o: JunitOptions): string {
  const all = countAll(specs);
  const time = secs(specs.reduce((t, s) => t + s.ms, 0));
  const stamp = o.now.toISOString().replace(/\.\d+Z$/, '');
  let s = '<?xml version="1.0" encoding="UTF-8"?>\n';
  s += `<testsuites name="xdplab test" tests="${all.cases}" failures="${all.failed}" errors="${all.errors}" time="${time}">\n`;
  specs.forEach((spec, id) => {
    const c = count(spec.cases);
    s += `  <testsuite name="${attr(spec.file)}" tests="${c.cases}" failures="${c.failed}" errors="${c.errors}" skipped="${c.skipped}" time="${secs(spec.ms)}" timestamp="${stamp}" hostname="${attr(o.hostname)}" id="${id}" package="xdplab">\n`;
    s += `    <properties>\n      <property name="program" value="${attr(spec.program)}"/>\n    </properties>\n`;
    const classname = spec.file.replace(/\.ya?ml$/, '').replace(/^\.\//, '').replace(/[/\\]/g, '.');
    for (const r of spec.cases) s += testcase(r, classname);
    s += '  </testsuite>\n';
  });
  return `${s}</testsuites>\n`;
}

function testcase(r: CaseResult, classname: string): string {
  const open = `    <testcase name="${attr(r.name)}" classname="${attr(classname)}" time="${secs(r.ms)}"`;
  if (r.status === 'pass') return `${open}/>\n`;
  if (r.status === 'skip') return `${open}>\n      <skipped message="${attr(r.reason ?? '')}"/>\n    </testcase>\n`;
  const tag = r.status === 'error' ? 'error' : 'failure';
  const first = r.failures[0]!;
  const more = r.failures.length > 1 ? ` (and ${r.failures.length - 1} more)` : '';
  const body = r.failures.map((f) => [f.message, ...f.details.map((d) => `  ${d}`), `  at ${at(f.where)}`].join('\n')).join('\n');
  return `${open}>\n      <${tag} message="${attr(first.message + more)}" type="${attr(first.check)}">${text(body)}</${tag}>\n    </testcase>\n`;
}

const secs = (ms: number): string => (ms / 1000).toFixed(3);

// Tab, newline and carriage return are allowed; other C0 controls are not in XML 1.0.
const clean = (v: string): string =>
  // eslint-disable-next-line no-control-regex
  v.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

function text(v: string): string {
  return clean(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(v: string): string {
  return text(v).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
