// SPDX-License-Identifier: MIT
// proto_count: walk up to two VLAN tags (802.1Q / 802.1ad), then IPv4 or IPv6, and count
// packets per L4 protocol number (TCP 6, UDP 17, ICMP 1, ICMPv6 58, ...) in an array map.
// Non-IP frames are counted at index 255. All packets pass.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define OTHER 255

struct vlan_hdr {
	__be16 tci;
	__be16 encap_proto;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} proto_count SEC(".maps");

SEC("xdp")
int count_protocols(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 key = OTHER;

	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	__u16 proto = eth->h_proto;
	void *next = eth + 1;

#pragma unroll
	for (int i = 0; i < 2; i++) {
		if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
			break;
		struct vlan_hdr *vlan = next;
		if ((void *)(vlan + 1) > data_end)
			return XDP_PASS;
		proto = vlan->encap_proto;
		next = vlan + 1;
	}

	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = next;
		if ((void *)(ip + 1) > data_end)
			return XDP_PASS;
		key = ip->protocol;
	} else if (proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = next;
		if ((void *)(ip6 + 1) > data_end)
			return XDP_PASS;
		key = ip6->nexthdr;
	}

	__u64 *count = bpf_map_lookup_elem(&proto_count, &key);
	if (count)
		*count += 1;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
