// Maps whose size the loader decides: max_entries 0 in the object, set with
// `xdplab run unsized_map.o --map-size flows=1024` (libbpf: bpf_map__set_max_entries before
// load). The perf event array is sized to the number of CPUs, as libbpf does. Counts packets
// per source IPv4 address and sends a 16-byte sample of every 100th packet to user space.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} samples SEC(".maps");

SEC("xdp")
int count_sources(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	__u32 src = ip->saddr;
	__u64 one = 1, *n = bpf_map_lookup_elem(&flows, &src);
	if (!n) {
		if (bpf_map_update_elem(&flows, &src, &one, BPF_NOEXIST))
			return XDP_DROP; /* table full */
		return XDP_PASS;
	}
	__sync_fetch_and_add(n, 1);
	if (*n % 100 == 0)
		bpf_perf_event_output(ctx, &samples, BPF_F_CURRENT_CPU, &src, sizeof(src));
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
