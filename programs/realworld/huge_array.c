// An array map declared with 2^25 (33.5 million) 8-byte entries, as a per-address-bucket
// counter table: 256 MiB that the kernel allocates up front. xdplab pages it lazily, so a run
// that touches a few buckets costs a few pages. Bucket = low 25 bits of the source address.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define BUCKETS (1u << 25)

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BUCKETS);
	__type(key, __u32);
	__type(value, __u64);
} buckets SEC(".maps");

SEC("xdp")
int bucket_count(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	__u32 b = bpf_ntohl(ip->saddr) & (BUCKETS - 1);
	__u64 *n = bpf_map_lookup_elem(&buckets, &b);
	if (!n)
		return XDP_ABORTED;
	*n += 1;
	return *n > 3 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
