// Profile validation: every shipped profile loads; bad input names the file and the key.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { XdplabError } from '../../src/diag/index.js';
import { SCHEMA, loadCostProfile, profilesDir, readCostProfile } from './helpers.js';

const dir = profilesDir();
const file = join(dir, 'host-xeon-e5-1650v4.json');
const base = (): Record<string, Record<string, Record<string, unknown>>> => JSON.parse(readFileSync(file, 'utf8'));

function error(json: unknown): XdplabError {
  try {
    loadCostProfile(json, 'bad.json');
  } catch (e) {
    if (e instanceof XdplabError) return e;
    throw e;
  }
  throw new Error('expected the profile to be refused');
}

test('every host profile loads, and every constant has a source', () => {
  const files = readdirSync(dir).filter((f) => /^host-.*\.json$/.test(f));
  assert.ok(files.length >= 2, files.join(', '));
  for (const f of files) {
    const p = readCostProfile(join(dir, f));
    for (const [k, c] of Object.entries(p.constants)) assert.ok(c.source.length > 10, `${f}: ${k}`);
    for (const section of Object.keys(SCHEMA)) assert.ok(Object.keys(p.constants).some((k) => k.startsWith(`${section}.`)), `${f}: ${section}`);
  }
});

test('the default profile is the XDP paper machine at 3.6 GHz', () => {
  const p = readCostProfile();
  assert.is(p.ghz, 3.6);
  assert.is(p.get('memory.l3Latency'), 30);
  assert.ok(Math.abs(p.get('memory.ramLatency') - 170) < 0.5, 'RAM 47.2 ns = 170 cycles');
  assert.is(p.get('memory.l3Size'), 15 * 1024 * 1024);
  assert.ok(Math.abs(p.ns('kernel.contextSwitch') - 1100) < 1e-9);
});

test('a constant without a source is refused, naming file and key', () => {
  const j = base();
  delete j.kernel!.skbAlloc!.source;
  const e = error(j);
  assert.is(e.exitCode, 2);
  assert.match(e.message, "bad.json: 'kernel.skbAlloc' needs a \"source\"");
});

test('unknown keys and sections are refused', () => {
  const j = base();
  j.kernel!.skbAllocc = { value: 1, unit: 'cycles', source: 'typo' };
  assert.match(error(j).message, "bad.json: 'kernel.skbAllocc' is not a known key");
  const k = base() as Record<string, unknown>;
  k.gpu = {};
  assert.match(error(k).message, "bad.json: 'gpu' is not a known section");
  const h = base();
  h.helpers!.not_a_helper = { value: 1, unit: 'cycles', source: 'x' };
  assert.match(error(h).message, "'helpers.not_a_helper' is not a helper name");
});

test('wrong units, missing keys and underived derivations are refused', () => {
  const j = base();
  j.cpu!.frequency!.unit = 'MHz';
  assert.match(error(j).message, "'cpu.frequency' needs \"unit\" one of GHz");
  const m = base();
  delete m.dpdk!.emptyPoll;
  assert.match(error(m).message, "'dpdk.emptyPoll' is missing");
  const d = base();
  delete d.driver!.rxPerPacket!.derivation;
  assert.match(error(d).message, "'driver.rxPerPacket' is derived and needs a \"derivation\"");
  const n = base();
  n.xdp!.tx!.value = -3;
  assert.match(error(n).message, "'xdp.tx' needs a finite non-negative number");
});

test('any helper of bpf_func_id may be priced; others fall back to helpers.default', () => {
  const j = base();
  j.helpers!.ringbuf_output = { value: 77, unit: 'cycles', source: 'test' };
  const p = loadCostProfile(j, 'x.json');
  assert.is(p.helperCycles(130), 77);
  assert.is(p.helperCycles(9999), p.get('helpers.default'));
});

test.run();
