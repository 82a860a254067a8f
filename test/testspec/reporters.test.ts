// Each reporter's exact output on one spec with a passing and a failing case.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { githubReport, junitReport, prettyReport, tapReport } from '../../src/cli/testspec/index.js';
import { loadSpec, runSpec, type SpecResult } from '../../src/testspec/index.js';
import { fixtures } from './helpers.js';

/** The fixture's results with the parts that vary fixed: the program path (relative to the working directory) and times. */
function results(): SpecResult[] {
  const r = runSpec(loadSpec(join(fixtures, 'small.yaml'), 'small.yaml'));
  r.program = 'programs/xdp/drop_udp.o';
  r.ms = 12.5;
  r.cases.forEach((c, i) => { c.ms = i + 1; });
  return [r];
}

test('pretty: ✓ and ✗ per case, failures with where they are written, a summary', () => {
  assert.is(prettyReport(results()), `small.yaml (programs/xdp/drop_udp.o)
  ✓ drops UDP to port 9999
  ✗ passes DNS <with> a "wrong" TTL & verdict
      verdict: expected XDP_DROP (1), got XDP_PASS (2)
      at small.yaml:9:14
      ipv4.ttl: expected 63, got 64
      at small.yaml:11:7

1 spec, 2 cases: 1 passed, 1 failed
`);
});

test('tap: TAP version 13 with a YAML diagnostics block under the failure', () => {
  assert.is(tapReport(results()), `TAP version 13
1..2
# small.yaml (programs/xdp/drop_udp.o)
ok 1 - small.yaml: drops UDP to port 9999
not ok 2 - small.yaml: passes DNS <with> a "wrong" TTL & verdict
  ---
  message: "verdict: expected XDP_DROP (1), got XDP_PASS (2)"
  severity: fail
  at:
    file: small.yaml
    line: 7
    column: 5
  failures:
    - check: verdict
      message: "verdict: expected XDP_DROP (1), got XDP_PASS (2)"
      line: 9
    - check: field
      message: "ipv4.ttl: expected 63, got 64"
      line: 11
  ...
`);
});

test('junit: testsuites, a testsuite per spec, failures with message and body, escaped', () => {
  assert.is(junitReport(results(), { now: new Date('2025-01-02T03:04:05.678Z'), hostname: 'ci<1>' }), `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="xdplab test" tests="2" failures="1" errors="0" time="0.013">
  <testsuite name="small.yaml" tests="2" failures="1" errors="0" skipped="0" time="0.013" timestamp="2025-01-02T03:04:05" hostname="ci&lt;1&gt;" id="0" package="xdplab">
    <properties>
      <property name="program" value="programs/xdp/drop_udp.o"/>
    </properties>
    <testcase name="drops UDP to port 9999" classname="small" time="0.001"/>
    <testcase name="passes DNS &lt;with&gt; a &quot;wrong&quot; TTL &amp; verdict" classname="small" time="0.002">
      <failure message="verdict: expected XDP_DROP (1), got XDP_PASS (2) (and 1 more)" type="verdict">verdict: expected XDP_DROP (1), got XDP_PASS (2)
  at small.yaml:9:14
ipv4.ttl: expected 63, got 64
  at small.yaml:11:7</failure>
    </testcase>
  </testsuite>
</testsuites>
`);
});

test('github: the pretty report, then an ::error command at the failed case', () => {
  const out = githubReport(results());
  assert.ok(out.startsWith(prettyReport(results())));
  assert.is(out.slice(prettyReport(results()).length),
    '::error file=small.yaml,line=7,col=5,title=passes DNS <with> a "wrong" TTL & verdict (programs/xdp/drop_udp.o)::' +
    'verdict: expected XDP_DROP (1), got XDP_PASS (2)%0Aipv4.ttl: expected 63, got 64\n');
});

test('github: workflow-command escaping of %, newlines, : and ,', () => {
  const [r] = results();
  r!.cases[1]!.name = 'a: b, 100%';
  r!.cases[1]!.failures[0]!.details = ['x\r\ny'];
  const line = githubReport([r!]).split('\n').find((l) => l.startsWith('::error'))!;
  assert.is(line, '::error file=small.yaml,line=7,col=5,title=a%3A b%2C 100%25 (programs/xdp/drop_udp.o)::verdict: expected XDP_DROP (1), got XDP_PASS (2)%0A  x%0D%0Ay%0Aipv4.ttl: expected 63, got 64');
});

test('skips and errors in every reporter', () => {
  const [r] = results();
  r!.cases[0] = { ...r!.cases[0]!, status: 'skip', reason: 'not # yet' };
  r!.cases[1] = { ...r!.cases[1]!, status: 'error', failures: [{ check: 'error', message: 'the program stopped: boom', details: [], where: r!.cases[1]!.where }] };
  assert.match(prettyReport([r!]), '  - drops UDP to port 9999 (skipped: not # yet)\n  ✗ passes DNS <with> a "wrong" TTL & verdict (error)\n');
  assert.match(prettyReport([r!]), '1 spec, 2 cases: 0 passed, 1 failed, 1 skipped\n');
  assert.match(tapReport([r!]), 'ok 1 - small.yaml: drops UDP to port 9999 # SKIP not # yet\n');
  assert.match(tapReport([r!]), '  severity: error\n');
  const xml = junitReport([r!], { now: new Date(0), hostname: 'h' });
  assert.match(xml, '<skipped message="not # yet"/>');
  assert.match(xml, '<error message="the program stopped: boom" type="error">the program stopped: boom\n  at small.yaml:7:5</error>');
  assert.match(xml, 'tests="2" failures="0" errors="1" skipped="1"');
});

test.run();
