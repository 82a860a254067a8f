// SPDX-License-Identifier: MIT
// meta: XDP metadata (bpf_xdp_adjust_meta) and the context fields.
//   meta_mark:   reserve 8 bytes of metadata before the packet and write a mark and the length
//   meta_read:   read metadata handed in through ctx_in, and ingress_ifindex / rx_queue_index
//   frame_limits: adjust_meta, adjust_head and adjust_tail by offsets taken from a map, so a
//                test can probe the limits; the return codes go to a map
#include "common.h"

struct meta {
	__u32 mark;
	__u32 len;
};

RESULTS(meta_res, 8);

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __s32);
} limit_args SEC(".maps");

RESULTS(limit_res, 4);

SEC("xdp")
int meta_mark(struct xdp_md *ctx)
{
	int r = bpf_xdp_adjust_meta(ctx, -(int)sizeof(struct meta));
	put(&meta_res, 0, r);
	if (r)
		return XDP_ABORTED;
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct meta *m = (void *)(long)ctx->data_meta;
	if ((void *)(m + 1) > data)
		return XDP_ABORTED;
	m->mark = 0x4d41524b;
	m->len = data_end - data;
	put(&meta_res, 1, data - (void *)m);
	return XDP_PASS;
}

SEC("xdp")
int meta_read(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	__u32 *m = (void *)(long)ctx->data_meta;
	put(&meta_res, 2, data - (void *)m);
	if ((void *)(m + 1) <= data)
		put(&meta_res, 3, *m);
	put(&meta_res, 4, ctx->ingress_ifindex);
	put(&meta_res, 5, ctx->rx_queue_index);
	return XDP_PASS;
}

static __always_inline int arg(__u32 i)
{
	__s32 *v = bpf_map_lookup_elem(&limit_args, &i);
	return v ? *v : 0;
}

SEC("xdp")
int frame_limits(struct xdp_md *ctx)
{
	int m = arg(0), h = arg(1), t = arg(2);
	if (m)
		put(&limit_res, 0, bpf_xdp_adjust_meta(ctx, m));
	if (h)
		put(&limit_res, 1, bpf_xdp_adjust_head(ctx, h));
	if (t)
		put(&limit_res, 2, bpf_xdp_adjust_tail(ctx, t));
	put(&limit_res, 3, bpf_xdp_get_buff_len(ctx));
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
