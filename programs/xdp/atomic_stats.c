// SPDX-License-Identifier: MIT
// atomic_stats: count packets and bytes per XDP action with __sync_fetch_and_add on a
// shared (not per-CPU) array value, so all CPUs update the same counters safely.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct datarec {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XDP_REDIRECT + 1);
	__type(key, __u32);
	__type(value, struct datarec);
} xdp_stats SEC(".maps");

SEC("xdp")
int atomic_stats(struct xdp_md *ctx)
{
	__u32 key = XDP_PASS;
	struct datarec *rec = bpf_map_lookup_elem(&xdp_stats, &key);
	if (!rec)
		return XDP_ABORTED;
	__u64 len = ctx->data_end - ctx->data;
	__sync_fetch_and_add(&rec->packets, 1);
	__sync_fetch_and_add(&rec->bytes, len);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
