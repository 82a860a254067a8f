// SPDX-License-Identifier: MIT
// parse: Ethernet, up to two VLAN tags, IPv4 (with options) or IPv6, then TCP or UDP ports.
// Each flow (family, protocol, ports, low 32 bits of the addresses) is counted in a hash map,
// each L4 protocol in a per-CPU array. Telnet (TCP 23) is dropped; everything else passes.
#include "common.h"

struct flow {
	__u8 family;
	__u8 proto;
	__u16 vlans;
	__be16 sport;
	__be16 dport;
	__be32 src;
	__be32 dst;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct flow);
	__type(value, __u64);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} proto_stats SEC(".maps");

SEC("xdp")
int parse_flows(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct flow f = {};
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > data_end)
		return XDP_ABORTED;
	__u16 proto = eth->h_proto;
	void *l3 = eth + 1;
#pragma unroll
	for (int i = 0; i < 2; i++) {
		if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
			break;
		struct vlan_hdr *v = l3;
		if ((void *)(v + 1) > data_end)
			return XDP_DROP;
		proto = v->encap_proto;
		l3 = v + 1;
		f.vlans++;
	}
	void *l4;
	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = l3;
		if ((void *)(ip + 1) > data_end || ip->ihl < 5)
			return XDP_DROP;
		l4 = (void *)ip + ip->ihl * 4;
		f.family = 4;
		f.proto = ip->protocol;
		f.src = ip->saddr;
		f.dst = ip->daddr;
	} else if (proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = l3;
		if ((void *)(ip6 + 1) > data_end)
			return XDP_DROP;
		l4 = ip6 + 1;
		f.family = 6;
		f.proto = ip6->nexthdr;
		f.src = ip6->saddr.in6_u.u6_addr32[3];
		f.dst = ip6->daddr.in6_u.u6_addr32[3];
	} else {
		return XDP_PASS;
	}
	if (f.proto == IPPROTO_TCP) {
		struct tcphdr *tcp = l4;
		if ((void *)(tcp + 1) > data_end)
			return XDP_DROP;
		f.sport = tcp->source;
		f.dport = tcp->dest;
	} else if (f.proto == IPPROTO_UDP) {
		struct udphdr *udp = l4;
		if ((void *)(udp + 1) > data_end)
			return XDP_DROP;
		f.sport = udp->source;
		f.dport = udp->dest;
	}
	__u64 one = 1, *n = bpf_map_lookup_elem(&flows, &f);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&flows, &f, &one, BPF_NOEXIST);
	__u32 key = f.proto;
	__u64 *c = bpf_map_lookup_elem(&proto_stats, &key);
	if (c)
		*c += 1;
	if (f.proto == IPPROTO_TCP && f.dport == bpf_htons(23))
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
