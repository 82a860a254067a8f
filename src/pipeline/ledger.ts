// One counting path for the whole run (like the VM's counters): every packet that enters is
// recorded where it ends — transmitted, redirected, delivered to a socket, dropped with a reason,
// or still queued — per path (nic, host queue N, ...). A path hands packets on with `passed`.

export const OUTCOMES = ['tx', 'redirected', 'delivered', 'dropped', 'queued'] as const;

export interface PathSummary {
  in: number;
  tx: number;
  redirected: number;
  delivered: number;
  dropped: number;
  queued: number;
  /** Handed on to the next path (the host after the NIC). */
  passed: number;
  drops: Record<string, number>;
  /** Redirect targets (port NAME, cpu N, xsk N). */
  redirects: Record<string, number>;
  /** Transmitted per port name. */
  ports: Record<string, number>;
}

export class PathCounters {
  in = 0;
  tx = 0;
  redirected = 0;
  delivered = 0;
  dropped = 0;
  queued = 0;
  passed = 0;
  readonly drops = new Map<string, number>();
  readonly redirects = new Map<string, number>();
  readonly ports = new Map<string, number>();
  constructor(readonly name: string) {}

  drop(reason: string, n = 1): void {
    this.dropped += n;
    this.drops.set(reason, (this.drops.get(reason) ?? 0) + n);
  }

  redirect(target: string, n = 1): void {
    this.redirected += n;
    this.redirects.set(target, (this.redirects.get(target) ?? 0) + n);
  }

  transmit(port: string, n = 1): void {
    this.tx += n;
    this.ports.set(port, (this.ports.get(port) ?? 0) + n);
  }

  summary(): PathSummary {
    const obj = (m: Map<string, number>): Record<string, number> => Object.fromEntries([...m].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    return {
      in: this.in, tx: this.tx, redirected: this.redirected, delivered: this.delivered, dropped: this.dropped,
      queued: this.queued, passed: this.passed, drops: obj(this.drops), redirects: obj(this.redirects), ports: obj(this.ports),
    };
  }
}

export class Ledger {
  in = 0;
  readonly paths = new Map<string, PathCounters>();

  path(name: string): PathCounters {
    let p = this.paths.get(name);
    if (!p) { p = new PathCounters(name); this.paths.set(name, p); }
    return p;
  }
}

export interface Totals {
  in: number;
  tx: number;
  redirected: number;
  delivered: number;
  dropped: number;
  queued: number;
}

/** Totals over paths, and whether every packet that entered is accounted for. */
export function totals(l: Ledger): Totals & { balanced: boolean } {
  const t: Totals = { in: l.in, tx: 0, redirected: 0, delivered: 0, dropped: 0, queued: 0 };
  let pathsBalanced = true;
  for (const p of l.paths.values()) {
    for (const k of OUTCOMES) t[k] += p[k];
    if (p.in !== p.tx + p.redirected + p.delivered + p.dropped + p.queued + p.passed) pathsBalanced = false;
  }
  return { ...t, balanced: pathsBalanced && t.in === t.tx + t.redirected + t.delivered + t.dropped + t.queued };
}
