// SPDX-License-Identifier: MIT
// Missing null check on a map value: bpf_map_lookup_elem returns NULL for a key that is
// not in the hash map, and the counter is incremented without checking.
// expect: R0 may be NULL here
// kernel: R0 invalid mem access 'map_value_or_null'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

SEC("xdp")
int count_queue(struct xdp_md *ctx)
{
	__u32 q = ctx->rx_queue_index;
	__u64 *n = bpf_map_lookup_elem(&counts, &q);
	*n += 1;	/* no if (n) */
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
