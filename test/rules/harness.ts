// Runs a compiled rule set in the VM runtime (and, where available, in the kernel) next to the
// direct evaluator, with the same set contents, clock and packets, and reports differences.
import { loadObject } from '../../src/elf/index.js';
import { parseSetup } from '../../src/maps/index.js';
import { loadRuntime, type Runtime } from '../../src/vm/runtime/index.js';
import { createState, evaluateRules, rulesObject, setKey, VERDICT_CODE, type RuleState, type Ruleset } from '../../src/rules/index.js';

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Set contents as setup-file lines. */
export function setupLines(rs: Ruleset, state: RuleState): string {
  const out: string[] = [];
  for (const s of rs.sets) {
    for (const el of state.sets.get(s.name) ?? []) {
      out.push(`name ${s.name} key hex ${[...setKey(s, el.value, el.plen)].map((b) => b.toString(16).padStart(2, '0')).join(' ')} value 1`);
    }
  }
  return out.join('\n');
}

/** The runtime's clock (a private field: set so the next run reads `ns`). */
function setClock(rt: Runtime, ns: bigint): boolean {
  const env = (rt as unknown as { env?: { clock?: { ns: bigint } } }).env;
  if (!env?.clock) return false;
  env.clock.ns = ns - 1000n; // testRun advances it by 1000 before the run
  return true;
}

export interface Mismatch { index: number; packet: string; what: string }

/**
 * Run packets through both; returns the first few mismatches (empty when they agree).
 * `times` gives the clock per packet (default: 1 ms apart).
 */
export function differential(rs: Ruleset, packets: Uint8Array[], state: RuleState = createState(rs, 1_000_000_000n), times?: bigint[]): Mismatch[] {
  const obj = loadObject(rulesObject(rs), 'rules.o');
  const rt = loadRuntime(obj, { cpus: 1, setup: parseSetup(setupLines(rs, state), 'setup') });
  const out: Mismatch[] = [];
  packets.forEach((pkt, i) => {
    const now = times?.[i] ?? 1_000_000_000n + BigInt(i) * 1_000_000n;
    // The evaluator reads the time bpf_ktime_get_ns returns: the runtime's clock at the call.
    state.nowNs = now;
    if (!setClock(rt, now)) throw new Error('the runtime clock is not reachable');
    const want = evaluateRules(rs, pkt, state);
    const got = rt.testRun(pkt);
    const bad = (what: string): void => { out.push({ index: i, packet: hex(pkt), what: `${what} (rule ${want.rule})` }); };
    if (got.retval !== VERDICT_CODE[want.verdict]) bad(`verdict ${got.retval}, evaluator ${want.verdict}`);
    else if (want.verdict === 'redirect' && got.redirect?.index !== want.redirect) bad(`redirect to ${got.redirect?.index}, evaluator ${want.redirect}`);
    else if (want.verdict !== 'drop' && hex(got.dataOut) !== hex(want.outPacket)) bad(`packet ${hex(got.dataOut)}, evaluator ${hex(want.outPacket)}`);
    for (const c of rs.counters) {
      const v = rt.map(c.name).lookupElem(new Uint8Array(4))!;
      const dv = new DataView(v.buffer, v.byteOffset);
      const w = want.counters.get(c.name)!;
      if (dv.getBigUint64(0, true) !== w.packets || dv.getBigUint64(8, true) !== w.bytes) {
        bad(`counter ${c.name} = ${dv.getBigUint64(0, true)}/${dv.getBigUint64(8, true)}, evaluator ${w.packets}/${w.bytes}`);
      }
    }
  });
  return out.slice(0, 5);
}
