// BPF_MAP_TYPE_PERF_EVENT_ARRAY: one perf event per index (usually per CPU); programs
// send records with bpf_perf_event_output. xdplab has no perf events: a slot holds an
// opaque event id set from user space (attachAll() sets index i for CPU i, as libbpf's
// perf_buffer does), and records are captured here for a consumer to drain.
import type { MapSpec } from '../elf/index.js';
import { u32bytes } from './base.js';
import { BPF_F_CURRENT_CPU, E2BIG, ENOENT, EOPNOTSUPP } from './errno.js';
import { SlotArrayMap } from './slots.js';
import type { MapOptions } from './types.js';

export interface PerfRecord {
  cpu: number;
  index: number;
  data: Uint8Array;
}

export class PerfEventArrayMap extends SlotArrayMap {
  readonly records: PerfRecord[] = [];
  lost = 0;

  constructor(spec: MapSpec, opts: MapOptions) {
    super(spec, opts);
  }

  /** Open an event for every CPU index below max_entries. */
  attachAll(): void {
    for (let i = 0; i < Math.min(this.cpus, this.spec.maxEntries); i++) this.updateElem(u32bytes(i), u32bytes(i + 1));
  }

  /**
   * bpf_perf_event_output with the index from the low 32 bits of flags (BPF_F_CURRENT_CPU
   * = this CPU). __bpf_perf_event_output: index past the end -> -E2BIG, no event -> -ENOENT,
   * an event bound to another CPU -> -EOPNOTSUPP (event i lives on CPU i here).
   */
  output(cpu: number, index: number, data: Uint8Array): number {
    this.counters.other++;
    const i = index >>> 0 === BPF_F_CURRENT_CPU ? cpu : index >>> 0;
    if (i >= this.spec.maxEntries) return -E2BIG;
    if (!this.present[i]) return -ENOENT;
    if (i !== cpu) return -EOPNOTSUPP;
    this.records.push({ cpu, index: i, data: data.slice() });
    return 0;
  }

  /** Take the captured records, oldest first. */
  drain(): PerfRecord[] {
    return this.records.splice(0, this.records.length);
  }
}
