// The JUnit XML that CI systems read: checked element by element against the conventions of
// the Jenkins / Ant junit-10.xsd (required attributes, their types, nesting, counts that add
// up), and against our own XSD (test/fixtures/testspec/junit.xsd) with xmllint when installed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { junitReport } from '../../src/cli/testspec/index.js';
import { loadSpec, runSpec } from '../../src/testspec/index.js';
import { fixtures } from './helpers.js';

interface El { name: string; attrs: Record<string, string>; children: El[]; text: string }

/** A small XML reader for what the reporter writes: declaration, elements, attributes, text, entities. */
function parseXml(xml: string): El {
  let i = 0;
  const fail = (msg: string): never => assert.unreachable(`${msg} at offset ${i}: ${JSON.stringify(xml.slice(i, i + 40))}`) as never;
  const decode = (s: string): string => {
    if (/[\x00-\x08\x0b\x0c\x0e-\x1f]/.test(s)) fail('a control character XML 1.0 cannot hold');
    return s.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);|&/gi, (m, e: string | undefined) => {
      if (!e) return fail('a bare &');
      if (e.startsWith('#')) return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
      return named[e] ?? fail(`unknown entity &${e};`);
    });
  };
  if (!xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')) fail('no XML declaration');
  i = xml.indexOf('\n') + 1;
  const element = (): El => {
    const m = /^<([A-Za-z_][\w.-]*)/.exec(xml.slice(i)) ?? fail('expected an element');
    const el: El = { name: m[1]!, attrs: {}, children: [], text: '' };
    i += m[0].length;
    for (;;) {
      const a = /^\s+([A-Za-z_][\w.-]*)="([^"<]*)"/.exec(xml.slice(i));
      if (!a) break;
      if (a[1]! in el.attrs) fail(`attribute ${a[1]} twice`);
      el.attrs[a[1]!] = decode(a[2]!);
      i += a[0].length;
    }
    if (xml.startsWith('/>', i)) { i += 2; return el; }
    if (xml[i] !== '>') fail('expected > or />');
    i++;
    for (;;) {
      const lt = xml.indexOf('<', i);
      if (lt < 0) fail(`unclosed <${el.name}>`);
      el.text += decode(xml.slice(i, lt));
      i = lt;
      if (xml.startsWith(`</${el.name}>`, i)) { i += el.name.length + 3; return el; }
      el.children.push(element());
    }
  };
  const root = element();
  if (xml.slice(i).trim() !== '') fail('content after the root element');
  return root;
}

const INT = /^\d+$/;
const TIME = /^\d+(\.\d+)?$/;
const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

function attrs(el: El, required: Record<string, RegExp | null>, optional: Record<string, RegExp | null>): void {
  for (const [k, re] of Object.entries(required)) {
    assert.ok(k in el.attrs, `<${el.name}> needs ${k}`);
    if (re) assert.match(el.attrs[k]!, re, `<${el.name} ${k}="${el.attrs[k]}">`);
  }
  for (const [k, v] of Object.entries(el.attrs)) {
    assert.ok(k in required || k in optional, `<${el.name}> may not have ${k}`);
    const re = optional[k];
    if (re) assert.match(v, re, `<${el.name} ${k}="${v}">`);
  }
}

/** Structure, attribute types and the counts, as junit-10.xsd and its readers expect. */
function validate(xml: string): { suites: number; cases: number; failures: number } {
  const root = parseXml(xml);
  assert.is(root.name, 'testsuites');
  attrs(root, {}, { name: null, tests: INT, failures: INT, errors: INT, disabled: INT, time: TIME });
  assert.is(root.text.trim(), '');
  const total = { tests: 0, failures: 0, errors: 0, time: 0 };
  for (const suite of root.children) {
    assert.is(suite.name, 'testsuite');
    attrs(suite, { name: null, tests: INT, failures: INT, errors: INT, time: TIME, timestamp: STAMP, hostname: null },
      { skipped: INT, id: INT, package: null, disabled: INT });
    const kids = suite.children.map((c) => c.name);
    const cases = suite.children.filter((c) => c.name === 'testcase');
    assert.ok(/^(properties,)?(testcase,)*$/.test(kids.map((k) => `${k},`).join('')), `testsuite children in order: ${kids}`);
    for (const p of suite.children.filter((c) => c.name === 'properties')) {
      for (const prop of p.children) { assert.is(prop.name, 'property'); attrs(prop, { name: null, value: null }, {}); }
    }
    const seen = { failures: 0, errors: 0, skipped: 0 };
    for (const tc of cases) {
      attrs(tc, { name: null, classname: null, time: TIME }, {});
      const inner = tc.children.map((c) => c.name);
      assert.ok(inner.length <= 1 && inner.every((n) => ['skipped', 'error', 'failure'].includes(n)), `testcase children: ${inner}`);
      for (const c of tc.children) {
        if (c.name === 'skipped') { attrs(c, {}, { message: null }); seen.skipped++; continue; }
        attrs(c, { message: null }, { type: null });
        assert.ok(c.text.length > 0, `<${c.name}> has a body`);
        if (c.name === 'failure') seen.failures++; else seen.errors++;
      }
    }
    assert.is(Number(suite.attrs.tests), cases.length);
    assert.is(Number(suite.attrs.failures), seen.failures);
    assert.is(Number(suite.attrs.errors), seen.errors);
    assert.is(Number(suite.attrs.skipped ?? 0), seen.skipped);
    total.tests += cases.length; total.failures += seen.failures; total.errors += seen.errors;
  }
  assert.is(Number(root.attrs.tests), total.tests);
  assert.is(Number(root.attrs.failures), total.failures);
  assert.is(Number(root.attrs.errors), total.errors);
  return { suites: root.children.length, cases: total.tests, failures: total.failures };
}

function report(): string {
  const small = runSpec(loadSpec(join(fixtures, 'small.yaml'), 'small.yaml'));
  const odd = structuredClone(small);
  odd.file = 'odd & <strange>/spec "1".yaml';
  odd.cases[0] = { ...odd.cases[0]!, name: "quotes ' \" and \u0001 control, tab\t, newline\n, ]]> end", status: 'skip', reason: 'a <reason> & more' };
  odd.cases[1]!.status = 'error';
  return junitReport([small, odd], { now: new Date('2025-06-01T12:00:00Z'), hostname: 'runner-1' });
}

test('the JUnit report has the structure, attribute types and counts CI systems read', () => {
  assert.equal(validate(report()), { suites: 2, cases: 4, failures: 1 });
  const root = parseXml(report());
  const tc = root.children[1]!.children.find((c) => c.name === 'testcase')!;
  assert.is(tc.attrs.name, "quotes ' \" and \\x01 control, tab\t, newline\n, ]]> end");
  assert.is(tc.children[0]!.attrs.message, 'a <reason> & more');
  assert.is(root.children[1]!.attrs.name, 'odd & <strange>/spec "1".yaml');
});

test('the validator catches what a CI system would choke on', () => {
  const good = report();
  for (const [what, bad] of [
    ['a count that is not an integer', good.replace('tests="4"', 'tests="four"')],
    ['a missing classname', good.replace(' classname="small"', '')],
    ['counts that do not add up', good.replace('failures="1" errors="0" skipped="0"', 'failures="0" errors="0" skipped="0"')],
    ['a bare ampersand', good.replace('&amp;', '&')],
    ['a failure outside a testcase', good.replace('<properties>', '<failure message="x">y</failure><properties>')],
  ]) {
    let caught = false;
    try { validate(bad!); } catch { caught = true; } // uvu's assert.throws rethrows assertion errors
    assert.ok(caught, `the validator missed ${what}`);
  }
});

const xmllint = spawnSync('xmllint', ['--version'], { encoding: 'utf8' }).status === 0;
const withXmllint = xmllint ? test : test.skip;
if (!xmllint) console.log('  (skipping the xmllint XSD check: xmllint is not installed; Debian: apt-get install libxml2-utils)');

withXmllint('xmllint validates the report against test/fixtures/testspec/junit.xsd', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xdplab-junit-'));
  const file = join(dir, 'results.xml');
  writeFileSync(file, report());
  const r = spawnSync('xmllint', ['--noout', '--schema', join(fixtures, 'junit.xsd'), file], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  writeFileSync(file, report().replace(' classname="small"', ''));
  assert.is.not(spawnSync('xmllint', ['--noout', '--schema', join(fixtures, 'junit.xsd'), file], { encoding: 'utf8' }).status, 0);
});

test.run();
