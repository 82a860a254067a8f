// The SmartNIC with vRouter tables as a stage: tx leaves the NIC (never crossing PCIe), drops
// are counted with their dropstats reason, host and trap verdicts (flow misses, what the NIC
// cannot offload) go on to the host path, held packets wait in the NIC's HOLD queue (queued).
import { Observable, type OperatorFunction } from 'rxjs';
import { BurstOut, DROP_REASONS as NIC_DROPS, HOST_REASONS, TRAP, type SmartNic } from '../smartnic/index.js';
import type { Burst } from './burst.js';
import type { RunContext } from './context.js';

const TX = 0, HOST = 1, DROP = 2, TRAPPED = 3;
const TRAP_NAMES = new Map<number, string>(Object.entries(TRAP).map(([name, code]) => [code, name]));

export function smartnicStage(nic: SmartNic, run: RunContext, hasHost: boolean): OperatorFunction<Burst, Burst> {
  return (source) => new Observable<Burst>((sub) => {
    const path = run.ledger.path('nic');
    let out = new BurstOut(32);
    return source.subscribe({
      next(b) {
        if (out.size < b.n) out = new BurstOut(b.n);
        const pool = b.pool;
        nic.now = b.time[0]!;
        nic.burst(pool, b.handles, b.n, out);
        path.in += b.n;
        let k = 0;
        for (let i = 0; i < b.n; i++) {
          const h = b.handles[i]!;
          const kind = out.kind[i]!;
          if (kind === TX) {
            path.transmit(run.portName(out.port[i]!));
            run.captureMbuf(out.port[i]!, pool, h, b.time[i]!);
          } else if (kind === DROP) {
            path.drop(NIC_DROPS[out.reason[i]!] ?? 'misc');
          } else if (kind === HOST || kind === TRAPPED) {
            if (!hasHost) { path.drop(kind === HOST ? `no host path (${HOST_REASONS[out.reason[i]!]})` : 'no host path (trap)'); pool.free(h); continue; }
            path.passed++;
            const why = kind === HOST ? HOST_REASONS[out.reason[i]!] ?? 'host' : `trap ${TRAP_NAMES.get(out.reason[i]!) ?? out.reason[i]}`;
            run.fallbacks.set(why, (run.fallbacks.get(why) ?? 0) + 1);
            b.handles[k] = h;
            b.time[k++] = b.time[i]! + run.dmaNs(pool.dataLen[h]!);
            continue;
          } else {
            path.queued++; // HOLD: the NIC keeps a copy until the agent programs the flow
          }
          pool.free(h);
        }
        b.n = k;
        if (k > 0) sub.next(b);
      },
      error: (e) => sub.error(e),
      complete: () => sub.complete(),
    });
  });
}
