// XDP offloaded to the NIC as a stage: the program runs on the NIC before anything reaches the
// host. DROP and ABORTED free the frame, TX sends it back out of the ingress port, REDIRECT
// goes to another port (devmap / ifindex), a CPU (cpumap) or an AF_XDP socket (xskmap), PASS
// continues to the host path across PCIe.
import { Observable, type OperatorFunction } from 'rxjs';
import type { Burst } from './burst.js';
import type { RunContext } from './context.js';
import { TARGET_CPU, TARGET_UNKNOWN, XDP_ABORTED, XDP_DROP, XDP_PASS, XDP_REDIRECT, XDP_TX, targetName, type XdpProgram } from './program.js';

export function offloadStage(prog: XdpProgram, run: RunContext, hasHost: boolean): OperatorFunction<Burst, Burst> {
  return (source) => new Observable<Burst>((sub) => {
    const path = run.ledger.path('nic');
    const name = (p: number): string => run.portName(p);
    return source.subscribe({
      next(b) {
        const pool = b.pool;
        path.in += b.n;
        let k = 0;
        for (let i = 0; i < b.n; i++) {
          const h = b.handles[i]!;
          const v = prog.run(pool, h);
          if (v === XDP_PASS) {
            if (hasHost) {
              path.passed++;
              b.handles[k] = h;
              b.time[k++] = b.time[i]! + run.dmaNs(pool.dataLen[h]!);
              continue;
            }
            path.drop('no host path (xdp pass)');
          } else if (v === XDP_TX) {
            const port = pool.port[h]!;
            path.transmit(name(port));
            run.captureMbuf(port, pool, h, b.time[i]!);
          } else if (v === XDP_REDIRECT) {
            const t = prog.target;
            if (t >= TARGET_UNKNOWN) path.drop(`xdp redirect failed (${targetName(t, name)})`);
            else {
              path.redirect(targetName(t, name));
              if (t < TARGET_CPU) run.captureMbuf(t, pool, h, b.time[i]!);
            }
          } else {
            path.drop(v === XDP_DROP ? 'xdp drop' : v === XDP_ABORTED ? 'xdp aborted' : 'xdp aborted');
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
