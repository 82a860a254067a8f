// kfuncs from an XDP program: a dynptr over the frame (bpf_dynptr_from_xdp +
// bpf_dynptr_slice) and a conntrack lookup (bpf_xdp_ct_lookup / bpf_ct_release). `seen`
// records what the calls returned: [2] = 1 when a connection was found, [3] = opts.error
// (-ENOENT for an unknown flow). TCP to port 22 passes without a connection, the rest drops.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

extern int bpf_dynptr_from_xdp(struct xdp_md *xdp, __u64 flags, struct bpf_dynptr *ptr__uninit) __ksym;
extern void *bpf_dynptr_slice(const struct bpf_dynptr *ptr, __u32 offset, void *buffer__opt, __u32 buffer__szk) __ksym;
extern struct nf_conn *bpf_xdp_ct_lookup(struct xdp_md *xdp_ctx, struct bpf_sock_tuple *bpf_tuple, __u32 tuple__sz,
					 struct bpf_ct_opts *opts, __u32 opts__sz) __ksym;
extern void bpf_ct_release(struct nf_conn *ct) __ksym;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __s64);
} seen SEC(".maps");

static __always_inline void record(__u32 k, __s64 v)
{
	__s64 *p = bpf_map_lookup_elem(&seen, &k);
	if (p)
		*p = v;
}

SEC("xdp")
int kfunc_user(struct xdp_md *ctx)
{
	struct bpf_dynptr dp;
	if (bpf_dynptr_from_xdp(ctx, 0, &dp))
		return XDP_ABORTED;
	__u8 buf[20] = {};
	struct iphdr *ip = bpf_dynptr_slice(&dp, sizeof(struct ethhdr), buf, sizeof(buf));
	if (!ip)
		return XDP_PASS;
	if (ip->protocol != IPPROTO_TCP)
		return XDP_PASS;

	struct bpf_sock_tuple tup = {};
	tup.ipv4.saddr = ip->saddr;
	tup.ipv4.daddr = ip->daddr;
	struct tcphdr *tcp = bpf_dynptr_slice(&dp, sizeof(struct ethhdr) + 20, buf, sizeof(buf));
	if (!tcp)
		return XDP_PASS;
	tup.ipv4.sport = tcp->source;
	tup.ipv4.dport = tcp->dest;
	struct bpf_ct_opts opts = { .netns_id = -1, .l4proto = IPPROTO_TCP };
	struct nf_conn *ct = bpf_xdp_ct_lookup(ctx, &tup, sizeof(tup.ipv4), &opts, sizeof(opts));
	if (ct) {
		record(2, 1);
		bpf_ct_release(ct);
		return XDP_PASS;
	}
	record(3, opts.error);
	return tcp->dest == bpf_htons(22) ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
