// The XDP RX metadata kfuncs. The kernel loads these only into a program bound to a device
// (BPF_F_XDP_DEV_BOUND_ONLY); xdplab runs them as a device without RX metadata would answer:
// -EOPNOTSUPP (-95). The answers land in `meta` ([0] hash, [1] timestamp, [2] vlan tag).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

extern int bpf_xdp_metadata_rx_hash(const struct xdp_md *ctx, __u32 *hash, enum xdp_rss_hash_type *rss_type) __ksym;
extern int bpf_xdp_metadata_rx_timestamp(const struct xdp_md *ctx, __u64 *timestamp) __ksym;
extern int bpf_xdp_metadata_rx_vlan_tag(const struct xdp_md *ctx, __be16 *vlan_proto, __u16 *vlan_tci) __ksym;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __s64);
} meta SEC(".maps");

SEC("xdp")
int rx_meta(struct xdp_md *ctx)
{
	__u32 hash = 0, k;
	enum xdp_rss_hash_type type = 0;
	__u64 ts = 0;
	__be16 proto = 0;
	__u16 tci = 0;
	__s64 r[3];
	r[0] = bpf_xdp_metadata_rx_hash(ctx, &hash, &type);
	r[1] = bpf_xdp_metadata_rx_timestamp(ctx, &ts);
	r[2] = bpf_xdp_metadata_rx_vlan_tag(ctx, &proto, &tci);
	for (k = 0; k < 3; k++)
		bpf_map_update_elem(&meta, &k, &r[k], BPF_ANY);
	return hash == 0 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
