// SPDX-License-Identifier: MIT
// csum_loop: a bounded loop. Compute the 16-bit ones' complement sum over the first
// CSUM_BYTES bytes of the frame (fewer if the frame is shorter) and keep the last result
// in an array map. The loop bound is a constant, so the verifier can see it ends.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CSUM_BYTES 64

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} last_csum SEC(".maps");

SEC("xdp")
int csum_loop(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 sum = 0;

#pragma clang loop unroll(disable)
	for (int i = 0; i < CSUM_BYTES / 2; i++) {
		__u16 *word = data + i * 2;
		if ((void *)(word + 1) > data_end)
			break;
		sum += *word;
	}
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);

	__u32 key = 0;
	__u32 *out = bpf_map_lookup_elem(&last_csum, &key);
	if (out)
		*out = ~sum & 0xffff;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
