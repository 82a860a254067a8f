// Shared headers and packet structs for the xdp3 examples (no glibc headers: -target bpf).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <linux/tcp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct vlan_hdr {
	__be16 tci;
	__be16 encap_proto;
};

// An array map of u64 results, indexed by case number.
#define RESULTS(name, n)                          \
	struct {                                  \
		__uint(type, BPF_MAP_TYPE_ARRAY); \
		__uint(max_entries, n);           \
		__type(key, __u32);               \
		__type(value, __u64);             \
	} name SEC(".maps")

static __always_inline void put(void *map, __u32 key, __u64 v)
{
	bpf_map_update_elem(map, &key, &v, BPF_ANY);
}

static __always_inline __u16 csum_fold32(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}
