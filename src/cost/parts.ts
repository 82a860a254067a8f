// A breakdown: named parts that sum to the total. Every cycle a placement reports is pushed
// here with the profile key (or map/helper) it comes from.

export interface Part {
  part: string;
  cycles: number;
}

export class Parts {
  readonly list: Part[] = [];

  add(part: string, cycles: number): this {
    if (cycles !== 0) {
      const same = this.list.find((p) => p.part === part);
      if (same) same.cycles += cycles;
      else this.list.push({ part, cycles });
    }
    return this;
  }

  /** Add every part of `other` scaled by `f` (e.g. the share of packets that fall back). */
  addScaled(other: Parts, f: number, prefix = ''): this {
    for (const p of other.list) this.add(prefix + p.part, p.cycles * f);
    return this;
  }

  get total(): number {
    let s = 0;
    for (const p of this.list) s += p.cycles;
    return s;
  }
}
