// CO-RE: a filter written against vmlinux.h (no <linux/*.h>). vmlinux.h marks every struct
// preserve_access_index, so each field access is a CO-RE relocation: field offsets, bitfields
// (ihl, version, syn, ack: byte size, shifts, signedness),
// field existence, type size and an enum value. Counts packets per IPv4 version/ihl bucket
// and drops TCP SYNs to a closed port. Loads on any kernel whose BTF has these types.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

#define ETH_P_IP 0x0800

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

static __always_inline void bump(__u32 k)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &k);
	if (v)
		__sync_fetch_and_add(v, 1);
}

SEC("xdp")
int core_parse(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)ip + bpf_core_type_size(struct iphdr) > data_end)
		return XDP_PASS;
	/* bitfields: read through CO-RE shifts */
	__u32 ihl = BPF_CORE_READ_BITFIELD(ip, ihl);
	__u32 ver = BPF_CORE_READ_BITFIELD(ip, version);
	if (ver != 4 || ihl < 5)
		return XDP_DROP;
	bump(0);
	if (bpf_core_field_exists(ip->tos))
		bump(1);
	__u8 proto = ip->protocol;
	if (proto != IPPROTO_TCP)
		return XDP_PASS;
	bump(2);
	struct tcphdr *tcp = (void *)ip + ihl * 4;
	if ((void *)tcp + bpf_core_type_size(struct tcphdr) > data_end)
		return XDP_PASS;
	if (BPF_CORE_READ_BITFIELD(tcp, syn) && !BPF_CORE_READ_BITFIELD(tcp, ack) &&
	    tcp->dest == bpf_htons(23)) {
		bump(3);
		return XDP_DROP;
	}
	if (bpf_core_enum_value_exists(enum xdp_action, XDP_REDIRECT))
		bump(4);
	bump(5 + (bpf_core_enum_value(enum xdp_action, XDP_TX) == 3));
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
