// SPDX-License-Identifier: MIT
// maps: the keyed map types an XDP program uses, one program each.
//   lru_count:  per-source counters in an LRU hash, per-protocol in an LRU per-CPU hash,
//               per-destination-port in a per-CPU hash
//   lpm_route:  longest-prefix match of the IPv4 destination; the value is the action
//   queue_stack: push the frame length to a queue and a stack; frames to UDP port 9 pop both
//   ringbuf_log: ringbuf output, reserve+submit, reserve+discard and the four queries
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} lru_src SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} lru_proto SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 64);
	__type(key, __u16);
	__type(value, __u64);
} port_count SEC(".maps");

struct lpm_key {
	__u32 prefixlen;
	__be32 addr;
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16);
	__type(key, struct lpm_key);
	__type(value, __u32);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} routes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 4);
	__type(value, __u32);
} lens_q SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 4);
	__type(value, __u32);
} lens_s SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

RESULTS(qs_res, 8);
RESULTS(rb_res, 12);

static __always_inline struct iphdr *ipv4(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return 0;
	return ip;
}

static __always_inline void bump(void *map, void *key)
{
	__u64 one = 1, *v = bpf_map_lookup_elem(map, key);
	if (v)
		*v += 1;
	else
		bpf_map_update_elem(map, key, &one, BPF_ANY);
}

SEC("xdp")
int lru_count(struct xdp_md *ctx)
{
	struct iphdr *ip = ipv4(ctx);
	if (!ip)
		return XDP_PASS;
	__u32 src = ip->saddr, proto = ip->protocol;
	bump(&lru_src, &src);
	bump(&lru_proto, &proto);
	void *data_end = (void *)(long)ctx->data_end;
	struct udphdr *udp = (void *)(ip + 1);
	if (ip->ihl == 5 && (void *)(udp + 1) <= data_end && (proto == IPPROTO_UDP || proto == IPPROTO_TCP)) {
		__u16 port = bpf_ntohs(udp->dest);
		bump(&port_count, &port);
		if (port == 666) {
			bpf_map_delete_elem(&lru_src, &src);
			bpf_map_delete_elem(&port_count, &port);
		}
	}
	return XDP_PASS;
}

SEC("xdp")
int lpm_route(struct xdp_md *ctx)
{
	struct iphdr *ip = ipv4(ctx);
	if (!ip)
		return XDP_PASS;
	struct lpm_key k = { 32, ip->daddr };
	__u32 *action = bpf_map_lookup_elem(&routes, &k);
	if (!action)
		return XDP_PASS;
	return *action;
}

SEC("xdp")
int queue_stack(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;
	put(&qs_res, 0, bpf_map_push_elem(&lens_q, &len, 0));
	put(&qs_res, 1, bpf_map_push_elem(&lens_s, &len, BPF_EXIST));
	struct iphdr *ip = ipv4(ctx);
	void *data_end = (void *)(long)ctx->data_end;
	if (ip && ip->ihl == 5 && ip->protocol == IPPROTO_UDP) {
		struct udphdr *udp = (void *)(ip + 1);
		if ((void *)(udp + 1) <= data_end && udp->dest == bpf_htons(9)) {
			__u32 v = 0;
			put(&qs_res, 2, bpf_map_pop_elem(&lens_q, &v));
			put(&qs_res, 3, v);
			put(&qs_res, 4, bpf_map_pop_elem(&lens_s, &v));
			put(&qs_res, 5, v);
			put(&qs_res, 6, bpf_map_peek_elem(&lens_q, &v));
			put(&qs_res, 7, v);
		}
	}
	return XDP_PASS;
}

SEC("xdp")
int ringbuf_log(struct xdp_md *ctx)
{
	__u64 rec[2] = { ctx->data_end - ctx->data, 0x1122334455667788 };
	put(&rb_res, 0, bpf_ringbuf_output(&events, rec, sizeof(rec), 0));
	__u64 *r = bpf_ringbuf_reserve(&events, 24, 0);
	if (r) {
		r[0] = 1;
		r[1] = 2;
		r[2] = 3;
		bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
		put(&rb_res, 1, 1);
	}
	r = bpf_ringbuf_reserve(&events, 8, 0);
	if (r) {
		*r = 7;
		bpf_ringbuf_discard(r, 0);
		put(&rb_res, 2, 1);
	}
	put(&rb_res, 3, bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA));
	put(&rb_res, 4, bpf_ringbuf_query(&events, BPF_RB_RING_SIZE));
	put(&rb_res, 5, bpf_ringbuf_query(&events, BPF_RB_CONS_POS));
	put(&rb_res, 6, bpf_ringbuf_query(&events, BPF_RB_PROD_POS));
	put(&rb_res, 7, bpf_ringbuf_output(&events, rec, sizeof(rec), 4)); /* bad flags */
	r = bpf_ringbuf_reserve(&events, 5000, 0); /* larger than the ring */
	put(&rb_res, 8, r != 0);
	if (r)
		bpf_ringbuf_discard(r, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
