// xdplab compare measures in either tier with the same answer: the cycle model prices what the
// program did (instructions, helpers, maps, memory accesses), which does not depend on the tier.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { compare, compareJson, loadTraffic, openSubject, parseRate, readCostProfile, readNicProfile } from '../../src/cost/index.js';
import { repoRoot } from '../conformance-data.js';

const prog = (f: string): string => join(repoRoot, 'programs', f);

test('a program and a rule set price the same in the interpreter and the compiled tier', () => {
  const traffic = loadTraffic(join(repoRoot, 'programs', 'traffic', 'udp-mix.pcap'));
  for (const file of [prog('xdp/drop_udp.o'), prog('bench/lpm_fib.o'), prog('rules/edge_acl.rules')]) {
    const [a, b] = (['interp', 'compiled'] as const).map((tier) => compare(openSubject(file), traffic, {
      profile: readCostProfile(), nic: readNicProfile(), rate: parseRate('10G'), passTo: 'local', tier,
    }));
    assert.is(compareJson(b!), compareJson(a!), file);
    assert.ok(a!.placements.length > 0);
  }
});

test.run();
