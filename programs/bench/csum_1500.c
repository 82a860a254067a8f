// SPDX-License-Identifier: MIT
// Benchmark: ones' complement sum over the whole frame, 16 bits at a time (a bounded loop of
// up to 750 iterations, not unrolled), folded and stored in an array map.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} csum SEC(".maps");

SEC("xdp")
int csum_1500(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 sum = 0;
	__u16 *p = data;
#pragma clang loop unroll(disable)
	for (int i = 0; i < 750; i++) {
		if ((void *)(p + 1) > data_end)
			break;
		sum += *p++;
	}
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	__u32 key = 0;
	__u32 *v = bpf_map_lookup_elem(&csum, &key);
	if (v)
		*v = ~sum & 0xffff;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
