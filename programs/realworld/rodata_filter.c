// Configuration the loader sets before load: `const volatile` globals live in .rodata, which
// is frozen after load, so the verifier treats them as constants and prunes dead branches.
//   xdplab run rodata_filter.o --rodata blocked_port=53 --rodata 'blocked_mac=02:00:00:00:00:01'
// Drops UDP to blocked_port (0 = off), frames from blocked_mac (all zero = off), and IPv4
// from blocked_net/blocked_prefix. A named section .rodata.limits holds the TTL floor;
// .data and .bss hold counters the program writes.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

const volatile __u16 blocked_port = 0;
const volatile __u8 blocked_mac[6] = {};
const volatile __u32 blocked_net = 0;       /* host byte order, e.g. 0x0a000000 */
const volatile __u8 blocked_prefix = 0;     /* 0 = off */
const volatile __u8 min_ttl SEC(".rodata.limits") = 1;

__u64 dropped = 0;                          /* .bss */
__u64 passed = 7;                           /* .data, starts at 7 to show the initial image */

static __always_inline int drop(void)
{
	__sync_fetch_and_add(&dropped, 1);
	return XDP_DROP;
}

SEC("xdp")
int rodata_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	__u8 any = 0, diff = 0;
	for (int i = 0; i < 6; i++) {
		any |= blocked_mac[i];
		diff |= eth->h_source[i] ^ blocked_mac[i];
	}
	if (any && !diff)
		return drop();
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		goto pass;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end)
		return XDP_PASS;
	if (ip->ttl < min_ttl)
		return drop();
	if (blocked_prefix) {
		__u32 mask = blocked_prefix >= 32 ? 0xffffffff : ~(0xffffffffu >> blocked_prefix);
		if ((bpf_ntohl(ip->saddr) & mask) == (blocked_net & mask))
			return drop();
	}
	if (ip->protocol == IPPROTO_UDP && blocked_port) {
		struct udphdr *udp = (void *)ip + ip->ihl * 4;
		if ((void *)(udp + 1) > data_end)
			return XDP_PASS;
		if (udp->dest == bpf_htons(blocked_port))
			return drop();
	}
pass:
	__sync_fetch_and_add(&passed, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
