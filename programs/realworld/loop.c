// bpf_loop (helper 181): the callback is a static function passed by pointer (an lddw with
// src 4, BPF_PSEUDO_FUNC). Sums the first bytes of the payload after the Ethernet header,
// stopping at a zero byte, and stores the sum and the iteration count in a map.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} result SEC(".maps");

struct loop_ctx {
	void *data;
	void *data_end;
	__u64 sum;
};

static int add_byte(__u32 index, void *arg)
{
	struct loop_ctx *c = arg;
	__u8 *p = c->data + sizeof(struct ethhdr) + (index & 63);
	if ((void *)(p + 1) > c->data_end)
		return 1;
	if (*p == 0)
		return 1; /* stop: bpf_loop returns index + 1 */
	c->sum += *p;
	return 0;
}

SEC("xdp")
int loop_sum(struct xdp_md *ctx)
{
	struct loop_ctx c = {
		.data = (void *)(long)ctx->data,
		.data_end = (void *)(long)ctx->data_end,
		.sum = 0,
	};
	long n = bpf_loop(32, add_byte, &c, 0);
	__u32 k0 = 0, k1 = 1;
	__u64 *v = bpf_map_lookup_elem(&result, &k0);
	if (v)
		*v = c.sum;
	v = bpf_map_lookup_elem(&result, &k1);
	if (v)
		*v = n;
	return c.sum > 1000 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
