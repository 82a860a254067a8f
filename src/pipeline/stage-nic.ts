// A NIC with nothing offloaded: every frame crosses PCIe to the host (the DMA time is added).
import { Observable, type OperatorFunction } from 'rxjs';
import type { Burst } from './burst.js';
import type { RunContext } from './context.js';

export function plainNicStage(run: RunContext): OperatorFunction<Burst, Burst> {
  return (source) => new Observable<Burst>((sub) => {
    const path = run.ledger.path('nic');
    return source.subscribe({
      next(b) {
        path.in += b.n;
        path.passed += b.n;
        for (let i = 0; i < b.n; i++) b.time[i] = b.time[i]! + run.dmaNs(b.pool.dataLen[b.handles[i]!]!);
        sub.next(b);
      },
      error: (e) => sub.error(e),
      complete: () => sub.complete(),
    });
  });
}
