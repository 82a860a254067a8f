// Counting, rate limiting and verdicts. Counters are one-entry maps of {packets, bytes};
// limiters keep a GCRA theoretical arrival time (u64 ns) per bucket, read against
// bpf_ktime_get_ns: a packet conforms when tat - now <= tau, and then tat = max(tat, now) + T.
import type { CounterDecl, LimiterDecl, Terminal } from '../ir.js';
import { fieldInfo } from '../fields.js';
import { Emitter, type Label } from './emit.js';
import { KEY, SLOT, VAL } from './layout.js';
import { storeKey } from './match.js';

const VERDICT = { drop: 1, pass: 2, tx: 3 } as const;

export function emitCount(e: Emitter, c: CounterDecl, index: number): void {
  const skip = e.label();
  e.st('w', 10, KEY, 0);
  e.mapRef(1, index);
  e.movr(2, 10);
  e.alu('add', 2, KEY);
  e.call('map_lookup_elem');
  e.jcond('jeq', 0, 0, skip);
  e.ldx('dw', 2, 10, SLOT.PKTLEN);
  if (c.shared) {
    e.mov(1, 1);
    e.atomicAdd(0, 0, 1);
    e.atomicAdd(0, 8, 2);
  } else {
    // Per-CPU: no other CPU writes this copy.
    e.ldx('dw', 1, 0, 0);
    e.alu('add', 1, 1);
    e.stx('dw', 0, 0, 1);
    e.ldx('dw', 1, 0, 8);
    e.alur('add', 1, 2);
    e.stx('dw', 0, 8, 1);
  }
  e.bind(skip);
}

/** Non-conforming packets jump to `over`; conforming ones fall through. Uses r9 for now. */
export function emitLimit(e: Emitter, l: LimiterDecl, index: number, over: Label): void {
  const ok = e.label(), found = e.label(), later = e.label();
  e.call('ktime_get_ns');
  e.movr(9, 0);
  if (l.per) {
    const f = fieldInfo(l.per)!;
    storeKey(e, l.per, keyBytes(f.kind, f.bits), KEY);
  } else {
    e.st('w', 10, KEY, 0);
  }
  e.mapRef(1, index);
  e.movr(2, 10);
  e.alu('add', 2, KEY);
  e.call('map_lookup_elem');
  e.jcond('jne', 0, 0, found);
  if (l.per) {
    // A new bucket: its first packet conforms; tat = now + T.
    e.movBig(1, l.intervalNs);
    e.alur('add', 1, 9);
    e.stx('dw', 10, VAL, 1);
    e.mapRef(1, index);
    e.movr(2, 10);
    e.alu('add', 2, KEY);
    e.movr(3, 10);
    e.alu('add', 3, VAL);
    e.mov(4, 0);
    e.call('map_update_elem');
  }
  e.jmp(ok);
  e.bind(found);
  e.ldx('dw', 1, 0, 0);
  e.jcondr('jge', 1, 9, later);
  e.movr(1, 9);
  e.bind(later);
  e.movr(2, 1);
  e.alur('sub', 2, 9);
  e.movBig(3, l.tauNs);
  e.jcondr('jgt', 2, 3, over);
  e.movBig(3, l.intervalNs);
  e.alur('add', 1, 3);
  e.stx('dw', 0, 0, 1);
  e.bind(ok);
}

export function keyBytes(kind: string, bits: number): number {
  if (kind === 'ip6') return 16;
  if (kind === 'mac') return 6;
  return bits <= 8 ? 1 : bits <= 16 ? 2 : 4;
}

export function emitTerminal(e: Emitter, t: Terminal): void {
  if (t.t === 'redirect') {
    e.mov(1, t.port);
    e.mov(2, 0);
    e.call('redirect');
    e.exit();
    return;
  }
  e.ret(VERDICT[t.t]);
}
