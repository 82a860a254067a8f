// SPDX-License-Identifier: MIT
// misc: trace_printk (the return value is the length of the formatted line), copying bytes
// with bpf_xdp_load_bytes / bpf_xdp_store_bytes, the buffer length, and the helpers whose
// values only the environment decides (time, randomness, the CPU): those are checked for
// their properties, never stored as they are.
#include "common.h"

RESULTS(printk_ret, 12);
RESULTS(bytes_res, 8);
RESULTS(env_res, 4);

SEC("xdp")
int printk(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 len = data_end - data;
	char name[] = "xdplab";
	char f0[] = "len %d proto %x\n";
	char f1[] = "%u|%5d|%-5d|%05d";
	char f2[] = "%lld %llx %llu";
	char f3[] = "%s says %c";
	char f4[] = "%q";
	char f5[] = "100%% %i";
	char f6[] = "%ld %lu %lx";
	char f7[] = "%x %X";
	char f8[] = "a\tb %d";
	put(&printk_ret, 0, bpf_trace_printk(f0, sizeof(f0), len, 0x800));
	put(&printk_ret, 1, bpf_trace_printk(f1, sizeof(f1), -1, 42, -42));
	put(&printk_ret, 2, bpf_trace_printk(f2, sizeof(f2), -5LL, 0xdeadbeefcafeULL, -1ULL));
	put(&printk_ret, 3, bpf_trace_printk(f3, sizeof(f3), name, 'Z'));
	put(&printk_ret, 4, bpf_trace_printk(f4, sizeof(f4), 1));
	put(&printk_ret, 5, bpf_trace_printk(f5, sizeof(f5), -7));
	put(&printk_ret, 6, bpf_trace_printk(f6, sizeof(f6), -9L, 123456789012L, 0xabcdefL));
	put(&printk_ret, 7, bpf_trace_printk(f7, sizeof(f7), 0xbeef, 0xbeef));
	put(&printk_ret, 8, bpf_trace_printk(f8, sizeof(f8), 3));
	if (data + 34 <= data_end) {
		char f9[] = "dst %pI4 src %pi4";
		put(&printk_ret, 9, bpf_trace_printk(f9, sizeof(f9), data + 30, data + 26));
	}
	return XDP_PASS;
}

SEC("xdp")
int bytes(struct xdp_md *ctx)
{
	__u8 buf[8] = {};
	put(&bytes_res, 0, bpf_xdp_get_buff_len(ctx));
	put(&bytes_res, 1, bpf_xdp_load_bytes(ctx, 6, buf, 8));
	put(&bytes_res, 2, *(__u64 *)buf);
	__u8 mark[4] = { 0xde, 0xad, 0xbe, 0xef };
	put(&bytes_res, 3, bpf_xdp_store_bytes(ctx, 0, mark, 4));
	put(&bytes_res, 4, bpf_xdp_load_bytes(ctx, bpf_xdp_get_buff_len(ctx) - 4, buf, 8));
	put(&bytes_res, 5, bpf_xdp_load_bytes(ctx, 0x10000, buf, 4));
	put(&bytes_res, 6, bpf_xdp_store_bytes(ctx, bpf_xdp_get_buff_len(ctx) - 2, mark, 2));
	return XDP_TX;
}

SEC("xdp")
int env_props(struct xdp_md *ctx)
{
	__u64 t1 = bpf_ktime_get_ns();
	__u64 t2 = bpf_ktime_get_ns();
	__u64 b = bpf_ktime_get_boot_ns();
	put(&env_res, 0, t2 >= t1 && b > 0);
	__u32 r1 = bpf_get_prandom_u32();
	put(&env_res, 1, (r1 & 0) + 1);
	put(&env_res, 2, bpf_get_smp_processor_id());
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
