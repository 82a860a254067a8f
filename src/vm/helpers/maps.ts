// Map helpers: lookup returns a pointer into the map's value storage (no copy), update and
// delete return 0 or a negative errno, queue/stack push/pop/peek, ring buffers, perf events.
import { fail } from '../../diag/index.js';
import { EINVAL, QueueStackMap, RingBufMap, PerfEventArrayMap } from '../../maps/index.js';
import type { HelperContext, HelperFn } from '../call.js';
import { REGION_TAG } from '../memory.js';
import { argBytes, argOff, ctxArg, hi, mapArg, memArg, ret, retU64, u32, type HelperEnv } from './env.js';

/** Update flags as the map code compares them: a u64 with high bits set is simply invalid. */
const flagsArg = (vm: HelperContext, r: number): number => (hi(vm, r) !== 0 ? -1 : vm.regs[2 * r]! | 0);

export function mapHelpers(env: HelperEnv): Record<string, HelperFn> {
  const lookup: HelperFn = (vm) => {
    const map = mapArg(vm, env, 1, 'bpf_map_lookup_elem');
    const key = argBytes(vm, 2, map.spec.keySize, false);
    vm.counters.mapAccess(map.spec.name);
    const off = map.lookup(key, argOff, env.cpu);
    if (off < 0) vm.setR0(0, 0);
    else vm.setR0(off, REGION_TAG + env.valueRegion(map));
  };
  const update: HelperFn = (vm) => {
    const map = mapArg(vm, env, 1, 'bpf_map_update_elem');
    if (map instanceof QueueStackMap) return ret(vm, -EINVAL); // the kernel's update with a NULL key
    const key = argBytes(vm, 2, map.spec.keySize, false), keyOff = argOff;
    const value = argBytes(vm, 3, map.spec.valueSize, false);
    vm.counters.mapAccess(map.spec.name);
    ret(vm, map.update(key, keyOff, value, argOff, flagsArg(vm, 4), env.cpu));
  };
  const del: HelperFn = (vm) => {
    const map = mapArg(vm, env, 1, 'bpf_map_delete_elem');
    const key = argBytes(vm, 2, map.spec.keySize, false);
    vm.counters.mapAccess(map.spec.name);
    ret(vm, map.delete(key, argOff));
  };
  const queue = (vm: HelperContext, what: string): QueueStackMap => {
    const map = mapArg(vm, env, 1, what);
    if (!(map instanceof QueueStackMap)) fail('fault', `${what} needs a queue or stack map; '${map.spec.name}' is not one`, { pc: vm.pc });
    vm.counters.mapAccess(map.spec.name);
    return map;
  };
  const push: HelperFn = (vm) => {
    const q = queue(vm, 'bpf_map_push_elem');
    const v = argBytes(vm, 2, q.spec.valueSize, false);
    ret(vm, q.push(v, argOff, flagsArg(vm, 3)));
  };
  const take = (remove: boolean): HelperFn => (vm) => {
    const q = queue(vm, remove ? 'bpf_map_pop_elem' : 'bpf_map_peek_elem');
    const out = argBytes(vm, 2, q.spec.valueSize, true);
    ret(vm, remove ? q.pop(out, argOff) : q.peek(out, argOff));
  };
  const ring = (vm: HelperContext, what: string): RingBufMap => {
    const map = mapArg(vm, env, 1, what);
    if (!(map instanceof RingBufMap)) fail('fault', `${what} needs a ring buffer map; '${map.spec.name}' is not one`, { pc: vm.pc });
    vm.counters.mapAccess(map.spec.name);
    return map;
  };
  const ringOutput: HelperFn = (vm) => {
    const rb = ring(vm, 'bpf_ringbuf_output');
    const size = u32(vm, 3);
    const data = memArg(vm, 2, size, false);
    const r = rb.output(data, 0, size, flagsArg(vm, 4));
    if (r === 0) env.events.push({ map: rb.spec.name, data: data.slice() });
    ret(vm, r);
  };
  const reserve: HelperFn = (vm) => {
    const rb = ring(vm, 'bpf_ringbuf_reserve');
    const off = hi(vm, 2) !== 0 ? -1 : rb.reserve(u32(vm, 2), flagsArg(vm, 3));
    if (off < 0) vm.setR0(0, 0);
    else vm.setR0(off, REGION_TAG + env.valueRegion(rb));
  };
  const commit = (discard: boolean): HelperFn => (vm) => {
    const what = discard ? 'bpf_ringbuf_discard' : 'bpf_ringbuf_submit';
    const rb = env.valueMapAt(hi(vm, 1) - REGION_TAG);
    if (!(rb instanceof RingBufMap)) fail('fault', `${what}: r1 (${vm.memory.describe(vm.regs[2]!, hi(vm, 1))}) is not a reserved ring buffer sample`, { pc: vm.pc });
    const off = vm.regs[2]!;
    const len = rb.valueStorage().length;
    const size = off >= 8 && off < len ? (new DataView(rb.valueStorage().buffer).getUint32(off - 8, true) & 0x3fffffff) : 0;
    const r = discard ? rb.discard(off, flagsArg(vm, 2)) : rb.submit(off, flagsArg(vm, 2));
    if (r < 0) fail('fault', `${what}: r1 is not a sample reserved with bpf_ringbuf_reserve (or it was already submitted)`, { pc: vm.pc });
    if (!discard) env.events.push({ map: rb.spec.name, data: rb.valueStorage().slice(off, off + size) });
    vm.setR0(0, 0);
  };
  const query: HelperFn = (vm) => {
    const rb = ring(vm, 'bpf_ringbuf_query');
    retU64(vm, BigInt(hi(vm, 2) !== 0 ? 0 : rb.query(u32(vm, 2))));
  };
  const perfOutput: HelperFn = (vm) => {
    ctxArg(vm, 'bpf_perf_event_output');
    const map = mapArg(vm, env, 2, 'bpf_perf_event_output');
    if (!(map instanceof PerfEventArrayMap)) fail('fault', `bpf_perf_event_output needs a perf event array; '${map.spec.name}' is not one`, { pc: vm.pc });
    vm.counters.mapAccess(map.spec.name);
    // flags: index in the low 32 bits (BPF_F_INDEX_MASK), packet bytes to append in 32..51.
    const fhi = hi(vm, 3);
    if ((fhi & ~0xfffff) !== 0) return ret(vm, -EINVAL);
    const ctxLen = fhi & 0xfffff;
    const f = env.frame;
    if (ctxLen > f.end - f.data) return ret(vm, -14); // -EFAULT
    const size = u32(vm, 5);
    const data = memArg(vm, 4, size, false);
    const rec = new Uint8Array(size + ctxLen);
    rec.set(data);
    rec.set(f.bytes.subarray(f.base + f.data, f.base + f.data + ctxLen), size);
    const r = map.output(env.cpu, vm.regs[6]!, rec);
    if (r === 0) env.events.push({ map: map.spec.name, data: rec });
    ret(vm, r);
  };
  return {
    map_lookup_elem: lookup, map_update_elem: update, map_delete_elem: del,
    map_push_elem: push, map_pop_elem: take(true), map_peek_elem: take(false),
    ringbuf_output: ringOutput, ringbuf_reserve: reserve, ringbuf_submit: commit(false), ringbuf_discard: commit(true),
    ringbuf_query: query, perf_event_output: perfOutput,
  };
}
