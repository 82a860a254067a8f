// SPDX-License-Identifier: MIT
// Benchmark: count packets and bytes per 5-tuple (IPv4 TCP/UDP) in a hash map.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct flow {
	__be32 saddr, daddr;
	__be16 sport, dport;
	__u32 proto;
};

struct counts {
	__u64 packets, bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct flow);
	__type(value, struct counts);
} flows SEC(".maps");

SEC("xdp")
int flow_count(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5)
		return XDP_PASS;
	if (ip->protocol != IPPROTO_UDP && ip->protocol != IPPROTO_TCP)
		return XDP_PASS;
	struct udphdr *l4 = (void *)(ip + 1); // the ports are at the same place in TCP
	if ((void *)(l4 + 1) > data_end)
		return XDP_PASS;
	struct flow key = { .saddr = ip->saddr, .daddr = ip->daddr, .sport = l4->source, .dport = l4->dest, .proto = ip->protocol };
	__u64 len = data_end - data;
	struct counts *c = bpf_map_lookup_elem(&flows, &key);
	if (c) {
		__sync_fetch_and_add(&c->packets, 1);
		__sync_fetch_and_add(&c->bytes, len);
	} else {
		struct counts init = { 1, len };
		bpf_map_update_elem(&flows, &key, &init, BPF_NOEXIST);
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
