// Properties: (1) random valid rule sets built from the field table compile, and their programs
// behave like the evaluator on random packets (a sample also loads in the kernel); (2) random
// sentences generated from the grammar itself parse, and checking them never crashes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XdplabError } from '../../src/diag/index.js';
import { kernelStatus } from '../../src/cli/kernel.js';
import { compileRulesText, createState, parseText, rulesGrammar, rulesObject, type Ruleset } from '../../src/rules/index.js';
import { differential } from './harness.js';
import { arbPacket, POOL } from './packets.js';

// ---- (1) random valid rule sets
const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
/** Match atoms with the header each guarantees (for actions that need one). */
const ATOMS: fc.Arbitrary<[string, string]>[] = [
  pick(POOL.ip4).map((a) => [`ip src ${a}`, 'ip']),
  fc.tuple(pick(POOL.ip4), fc.integer({ min: 8, max: 32 })).map(([a, p]) => [`ip dst ${a}/${p}`, 'ip']),
  pick(POOL.ip6).map((a) => [`ip6 src ${a}`, 'ip6']),
  fc.integer({ min: 16, max: 64 }).map((p) => [`ip6 dst 2001:db8::/${p}`, 'ip6']),
  pick(POOL.port).map((p) => [`tcp dport ${p}`, 'tcp']),
  fc.tuple(pick(POOL.port), pick(POOL.port)).map(([a, b]) => [`udp sport ${Math.min(a, b)}-${Math.max(a, b)}`, 'udp']),
  pick(POOL.port).map((p) => [`dport != ${p}`, '']),
  pick(['syn', 'ack', 'syn|ack', 'fin|psh|urg']).map((f) => [`tcp flags ${f}`, 'tcp']),
  pick(POOL.vlan).map((v) => [`vlan ${v}`, 'vlan']),
  pick(POOL.vlan).map((v) => [`vlan inner id ${v}`, 'vlan']),
  pick(POOL.label).map((l) => [`mpls label ${l}`, 'mpls']),
  pick(POOL.vni).map((v) => [`vxlan vni ${v}`, 'vxlan']),
  pick(['echo-request', 'echo-reply', 'destination-unreachable']).map((t) => [`icmp type ${t}`, 'ip']),
  pick([1, 2, 64]).map((t) => [`ip ttl < ${t + 1}`, 'ip']),
  fc.integer({ min: 0, max: 63 }).map((d) => [`ip dscp ${d}`, 'ip']),
  pick(['ip', 'ip6', 'tcp', 'udp', 'arp', 'mpls', 'gre', 'ip frag', 'ip6 frag', 'mpls bos', 'icmp6']).map((p) => [p, p.split(' ')[0] === 'ip' ? 'ip' : '']),
  pick(POOL.mac).map((m) => [`eth src ${m}`, '']),
  fc.integer({ min: 0, max: 1500 }).map((n) => [`ip len > ${n}`, 'ip']),
];
const ACTIONS: Record<string, string[]> = {
  '': ['drop', 'pass', 'tx', 'redirect port 3', 'count c, drop', 'count c', 'push vlan 7, pass', 'push mpls 99, tx', 'limit l, pass', 'set eth dst 02:00:00:00:00:09, tx'],
  ip: ['set ip ttl 3, tx', 'set ip dst 10.0.0.9, pass', 'set ip src 10.0.0.8, set ip dscp 10, tx'],
  ip6: ['set ip6 hoplimit 9, pass'],
  tcp: ['set tcp dport 8080, tx', 'set tcp sport 1, pass'],
  udp: ['set udp dport 9, pass'],
  vlan: ['pop vlan, pass', 'set vlan id 3, tx'],
  mpls: ['pop mpls, pass', 'set mpls ttl 1, pass'],
  vxlan: ['decap vxlan, redirect port 5'],
};
const arbRule = fc.tuple(fc.array(fc.oneof(...ATOMS), { minLength: 1, maxLength: 3 }), fc.boolean(), fc.boolean(), fc.nat(), fc.constantFrom('and', 'or'))
  .map(([atoms, negate, group, k, join]) => {
    const needs = join === 'and' ? atoms.map((a) => a[1]).filter(Boolean) : [];
    const text = atoms.map((a) => a[0]).join(` ${join} `);
    const match = negate ? `not (${text})` : group ? `(${text})` : text;
    const pool = [...ACTIONS['']!, ...(negate ? [] : needs.flatMap((n) => ACTIONS[n] ?? []))];
    return { match, actions: pool[k % pool.length]! };
  });
const arbRuleset = fc.tuple(fc.array(arbRule, { minLength: 1, maxLength: 6 }), pick(['pass', 'drop', 'tx']))
  .map(([rules, dflt]) => ['counter c', 'limiter l rate 1000 pps burst 5',
    ...rules.map((r, i) => `rule r${i}: ${r.match} => ${r.actions}`), `default ${dflt}`].join('\n'));

/** Rejections a random rule set may legitimately get: rules that shadow or contradict. */
const BY_DESIGN = /is unreachable|conflicts with rule|can never match|needs .* but this rule also matches/;

test('random valid rule sets compile and behave like the evaluator', () => {
  const packets = fc.sample(arbPacket, { numRuns: 60, seed: 5 });
  let compiled = 0;
  fc.assert(fc.property(arbRuleset, (text) => {
    let rs: Ruleset;
    try { rs = compileRulesText(text, 'random.rules'); } catch (e) {
      if (e instanceof XdplabError && BY_DESIGN.test(e.message)) return true;
      throw new Error(`${text}\n${(e as Error).message}`);
    }
    compiled++;
    const bad = differential(rs, packets, createState(rs, 1_000_000_000n));
    if (bad.length) throw new Error(`${text}\n${JSON.stringify(bad[0])}`);
    return true;
  }), { numRuns: 120, seed: 11 });
  assert.ok(compiled >= 60, `only ${compiled} of 120 random rule sets compiled`);
});

const status = kernelStatus();
(status.ok ? test : test.skip)('a sample of random rule sets loads in the kernel (the verifier accepts them)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xdplab-rules-prop-'));
  try {
    let i = 0;
    for (const text of fc.sample(arbRuleset, { numRuns: 40, seed: 3 })) {
      let obj: Uint8Array;
      try { obj = rulesObject(compileRulesText(text)); } catch { continue; }
      const file = join(dir, `p${i}.o`);
      writeFileSync(file, obj);
      const pin = `/sys/fs/bpf/xdplab_rules_${process.pid}_p${i++}`;
      const r = spawnSync('bpftool', ['prog', 'load', file, pin], { encoding: 'utf8', maxBuffer: 1 << 26 });
      rmSync(pin, { force: true });
      assert.is(r.status, 0, `${text}\n${(r.stderr || '').split('\n').slice(-10).join('\n')}`);
    }
    assert.ok(i >= 15);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

// ---- (2) sentences from the grammar
type Sym = string | { literal?: string; type?: string };
const SAMPLE: Record<string, string[]> = {
  num: ['0', '80', '4095', '70000', '0x10'], ident: ['x', 'DNS', 'syn', 'echo-request', 'blocked4'], ip4: ['10.0.0.1', '10.0.0.0/8'],
  ip6: ['2001:db8::1', 'fe80::/10'], mac: ['02:00:00:00:00:01'], string: ['"lib.rules"'], kw: ['tcp', 'port'],
};

function generator(rng: () => number) {
  const rules = rulesGrammar.rules as unknown as { name: string; symbols: Sym[] }[];
  const byName = new Map<string, { name: string; symbols: Sym[] }[]>();
  for (const r of rules) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  // Minimum derivation depth of each nonterminal, so generation can always finish.
  const depth = new Map<string, number>();
  for (let changed = true; changed;) {
    changed = false;
    for (const r of rules) {
      const d = 1 + Math.max(0, ...r.symbols.map((s) => (typeof s === 'string' ? depth.get(s) ?? Infinity : 0)));
      if (d < (depth.get(r.name) ?? Infinity)) { depth.set(r.name, d); changed = true; }
    }
  }
  const gen = (name: string, budget: number, out: string[]): void => {
    const alts = byName.get(name)!;
    const ok = alts.filter((r) => Math.max(0, ...r.symbols.map((s) => (typeof s === 'string' ? depth.get(s)! : 0))) < budget);
    const choice = (ok.length ? ok : alts)[Math.floor(rng() * (ok.length || alts.length))]!;
    for (const s of choice.symbols) {
      if (typeof s === 'string') gen(s, budget - 1, out);
      else if (s.literal !== undefined) out.push(s.literal);
      else { const pool = SAMPLE[s.type!]!; out.push(pool[Math.floor(rng() * pool.length)]!); }
    }
  };
  return (budget: number): string => { const out: string[] = []; gen(rulesGrammar.start, budget, out); return out.join(' '); };
}

test('sentences generated from the grammar parse, and checking them never crashes', () => {
  fc.assert(fc.property(fc.integer(), fc.integer({ min: 4, max: 12 }), (seed, budget) => {
    let s = seed >>> 0;
    const rng = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
    const text = generator(rng)(budget);
    parseText(text, 'gen.rules'); // must not throw: the grammar accepts its own sentences
    try { compileRulesText(text, 'gen.rules', { readFile: () => '' }); } catch (e) {
      if (!(e instanceof XdplabError)) throw new Error(`${text}\n${(e as Error).stack}`);
      assert.match(e.message, /^gen\.rules:\d+:\d+: error: |^[^:]+\.rules:\d+:\d+: error: /, text);
    }
  }), { numRuns: 400, seed: 17 });
});

test.run();
