// Several programs in one object sharing code: a global (non-static) function, verified by
// the kernel on its own against its BTF prototype, and a static __noinline one, both linked
// into each program that calls them (BPF-to-BPF calls). `xdp_entry` tail-calls into a
// program array initialised statically (.values), and reads a per-protocol limit through an
// array-of-maps whose slots are filled by .values too. Sections: xdp, xdp.frags, and the
// legacy spelling xdp_classify accepted by older libbpf.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct limit_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} udp_limit SEC(".maps"), tcp_limit SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct limit_map);
} limits SEC(".maps") = {
	.values = { [0] = &udp_limit, [1] = &tcp_limit },
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

int xdp_classify(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, int(void *));
} jump SEC(".maps") = {
	.values = { [0] = (void *)&xdp_classify },
};

/* Global function: its own verification unit; pointers checked against the prototype. */
__attribute__((noinline)) int l4_proto(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return -1;
	return ip->protocol;
}

static __attribute__((noinline)) void count(__u32 slot)
{
	__u64 *v = bpf_map_lookup_elem(&hits, &slot);
	if (v)
		__sync_fetch_and_add(v, 1);
}

SEC("xdp")
int xdp_entry(struct xdp_md *ctx)
{
	count(0);
	bpf_tail_call(ctx, &jump, 0);
	return XDP_ABORTED;
}

SEC("xdp_prog")
int xdp_classify(struct xdp_md *ctx)
{
	int p = l4_proto(ctx);
	__u32 outer = p == IPPROTO_TCP ? 1 : 0, zero = 0;
	count(1);
	if (p != IPPROTO_UDP && p != IPPROTO_TCP)
		return XDP_PASS;
	void *inner = bpf_map_lookup_elem(&limits, &outer);
	if (!inner)
		return XDP_ABORTED;
	__u32 *lim = bpf_map_lookup_elem(inner, &zero);
	if (!lim)
		return XDP_ABORTED;
	__u64 *seen = bpf_map_lookup_elem(&hits, &outer);
	if (seen && *seen >= *lim && *lim)
		return XDP_DROP;
	count(outer + 2);
	return XDP_PASS;
}

SEC("xdp.frags")
int xdp_frags_pass(struct xdp_md *ctx)
{
	count(1);
	return l4_proto(ctx) >= 0 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
