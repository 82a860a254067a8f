// SPDX-License-Identifier: MIT
// atomics: BPF-to-BPF calls (two levels, pointers to the caller's stack), a bounded loop,
// and every atomic operation on map values: add, or, and, xor with and without fetch,
// xchg and cmpxchg, on 32- and 64-bit words. Built with -mcpu=v3 (see build.sh).
#include "common.h"

struct counters {
	__u64 add;
	__u64 or;
	__u64 and;
	__u64 xor;
	__u64 xchg;
	__u64 cmpxchg;
	__u32 add32;
	__u32 or32;
	__u64 fetched;
	__u64 sum;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct counters);
} atom SEC(".maps");

// Sum of the first n bytes (n <= 64), by a loop the compiler does not unroll.
static __noinline __u64 byte_sum(__u8 *p, void *end, int n)
{
	__u64 s = 0;
#pragma clang loop unroll(disable)
	for (int i = 0; i < 64; i++) {
		if (i >= n || (void *)(p + i + 1) > end)
			break;
		s += p[i];
	}
	return s;
}

static __noinline int summarize(struct xdp_md *ctx, __u64 *out)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	*out = byte_sum(data, data_end, 40) * 3 + (data_end - data);
	return *out & 1;
}

SEC("xdp")
int atomic_ops(struct xdp_md *ctx)
{
	__u32 zero = 0;
	struct counters *c = bpf_map_lookup_elem(&atom, &zero);
	if (!c)
		return XDP_ABORTED;
	__u64 s = 0;
	int odd = summarize(ctx, &s);
	__u64 len = ctx->data_end - ctx->data;
	__sync_fetch_and_add(&c->add, len);
	__u64 old = __sync_fetch_and_or(&c->or, len << 8);
	old += __sync_fetch_and_and(&c->and, s | 0xff00);
	old ^= __sync_fetch_and_xor(&c->xor, s);
	old += __sync_lock_test_and_set(&c->xchg, s);
	old += __sync_val_compare_and_swap(&c->cmpxchg, 0, len);
	old += __sync_val_compare_and_swap(&c->cmpxchg, 64, 1000);
	__sync_fetch_and_add(&c->add32, 3);
	__sync_fetch_and_or(&c->or32, (__u32)len);
	c->fetched += old;
	c->sum += s;
	return odd ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
