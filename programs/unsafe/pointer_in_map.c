// SPDX-License-Identifier: MIT
// A pointer stored in a map: the packet's address is written into a map value, where user
// space could read it. Root (CAP_PERFMON) may do this; a loader with only CAP_BPF and
// CAP_NET_ADMIN may not.
// caps: bpf,net_admin
// expect: a pointer would be stored into a map value
// kernel: R1 leaks addr into map
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} last SEC(".maps");

SEC("xdp")
int leak_addr(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u64 *v = bpf_map_lookup_elem(&last, &zero);
	if (v)
		*v = (__u64)(long)ctx->data;	/* a kernel address */
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
