// A small seeded generator (mulberry32) so generated traffic is exactly reproducible per seed.
export class Rng {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0; }

  /** Uniform 32-bit unsigned. */
  u32(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = Math.imul(this.s ^ (this.s >>> 15), 1 | this.s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor((this.u32() / 4294967296) * n);
  }

  /** Index picked by integer weights (cumulative array, last = total). */
  pick(cumulative: readonly number[]): number {
    const r = this.below(cumulative[cumulative.length - 1]!);
    let i = 0;
    while (r >= cumulative[i]!) i++;
    return i;
  }
}
