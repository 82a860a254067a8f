// The program x packet cases the kernel differential test runs: each group is one object
// loaded once (maps carry over from packet to packet, as they do in the kernel), an optional
// setup (bpftool map update lines), and packets run in order.
import { P, eth, ipv4, udp, pad, icmpEcho } from './packets.js';

export interface DiffPacket { name: string; data: Uint8Array; ctxIn?: Uint8Array; repeat?: number }
export interface DiffGroup { obj: string; prog: string; setup?: string[]; packets: DiffPacket[] }

const pk = (name: string, data: Uint8Array, extra: Partial<DiffPacket> = {}): DiffPacket => ({ name, data, ...extra });
const ctx = (data: number, end: number, ifindex = 0, rxq = 0): Uint8Array => {
  const b = new Uint8Array(24);
  const v = new DataView(b.buffer);
  v.setUint32(0, data, true); v.setUint32(4, end, true); v.setUint32(12, ifindex, true); v.setUint32(16, rxq, true);
  return b;
};
const le32 = (v: number): string => [0, 8, 16, 24].map((s) => String((v >>> s) & 0xff)).join(' ');
const s32 = (v: number): string => le32(v >>> 0);

/** Frames most programs see: every parser branch. */
const mix = (): DiffPacket[] => [
  pk('udp4', P.udp4()), pk('tcp4', P.tcp4()), pk('icmp4', P.icmp4()), pk('udp6', P.udp6()), pk('tcp6', P.tcp6()),
  pk('arp', P.arp()), pk('vlan udp4', P.vlanUdp4()), pk('qinq tcp6', P.qinqTcp6()), pk('ipv4 options', P.optsUdp4()),
  pk('runt', P.runt()), pk('1500 bytes', P.big()),
];

const limits = (m: number, h: number, t: number, data = P.udp4()): DiffGroup => ({
  obj: 'xdp3/meta.o', prog: 'frame_limits',
  setup: [`name limit_args key 0 0 0 0 value ${s32(m)}`, `name limit_args key 1 0 0 0 value ${s32(h)}`, `name limit_args key 2 0 0 0 value ${s32(t)}`],
  packets: [pk(`meta ${m} head ${h} tail ${t} on ${data.length} bytes`, data)],
});

export const GROUPS: DiffGroup[] = [
  // The bundled programs (programs/xdp).
  { obj: 'xdp/xdp_pass.o', prog: 'xdp_pass', packets: [pk('udp4', P.udp4()), pk('runt', P.runt()), pk('3520 bytes', P.big(3520))] },
  { obj: 'xdp/drop_udp.o', prog: 'drop_udp', packets: [...mix(), pk('udp 9999', P.udp4(9999)), pk('options 9999', P.optsUdp4(9999)), pk('vlan 9999', P.vlanUdp4(9999))] },
  { obj: 'xdp/proto_count.o', prog: 'count_protocols', packets: mix() },
  { obj: 'xdp/icmp_echo.o', prog: 'icmp_echo', packets: [pk('echo', P.icmp4()), pk('reply', eth(0x0800, ipv4('1.2.3.4', '5.6.7.8', icmpEcho(0)))), pk('udp', P.udp4()), pk('echo x3', P.icmp4('9.9.9.9', '8.8.8.8'), { repeat: 3 })] },
  { obj: 'xdp/csum_loop.o', prog: 'csum_loop', packets: [pk('udp4', P.udp4()), pk('runt', P.runt()), pk('odd 61', pad(P.udp4(), 61)), pk('1500', P.big())] },
  { obj: 'xdp/subprog.o', prog: 'filter_ipv6', packets: [pk('udp6 flag off', P.udp6()), pk('udp4', P.udp4())] },
  { obj: 'xdp/subprog.o', prog: 'filter_ipv6', setup: ['name drop_ipv6 key 0 0 0 0 value 1 0 0 0'], packets: [pk('udp6 flag on', P.udp6()), pk('tcp6', P.tcp6()), pk('udp4', P.udp4())] },
  { obj: 'xdp/atomic_stats.o', prog: 'atomic_stats', packets: [pk('udp4', P.udp4()), pk('1500', P.big()), pk('x10', P.tcp4(), { repeat: 10 })] },

  // xdp3: parsing, rewrites and checksums.
  { obj: 'xdp3/parse.o', prog: 'parse_flows', packets: [...mix(), pk('telnet', P.tcp4(23)), pk('udp4 again', P.udp4()), pk('telnet v6', P.tcp6(23))] },
  { obj: 'xdp3/rewrite.o', prog: 'nat_rewrite', packets: [pk('no config', P.udp4())] },
  {
    obj: 'xdp3/rewrite.o', prog: 'nat_rewrite', setup: ['name nat_cfg key 0 0 0 0 value 192 168 7 7 0x1f 0x90 0 0'],
    packets: [pk('udp4', P.udp4()), pk('tcp4', P.tcp4()), pk('udp no csum', (() => { const p = P.udp4(); p[40] = 0; p[41] = 0; return p; })()), pk('icmp4', P.icmp4()), pk('udp6', P.udp6()), pk('options', P.optsUdp4())],
  },
  { obj: 'xdp3/rewrite.o', prog: 'csum_probe', packets: [pk('60', pad(P.udp4(), 60)), pk('600', P.big(600)), pk('1500', P.big(1500))] },

  // adjust_head / adjust_tail / adjust_meta.
  { obj: 'xdp3/encap.o', prog: 'ipip_encap', packets: [pk('udp4', P.udp4()), pk('tcp4', P.tcp4()), pk('udp6', P.udp6()), pk('1500', P.big()), pk('x2', P.udp4(), { repeat: 2 })] },
  { obj: 'xdp3/encap.o', prog: 'ipip_decap', packets: [pk('ipip', eth(0x0800, ipv4('192.0.2.1', '192.0.2.2', { proto: 4, bytes: () => ipv4('10.0.0.1', '10.0.0.2', udp(1, 2)) }))), pk('plain', P.udp4()), pk('short ipip', pad(eth(0x0800, ipv4('1.1.1.1', '2.2.2.2', { proto: 4, bytes: () => new Uint8Array(0) })), 34))] },
  { obj: 'xdp3/encap.o', prog: 'vlan_pop', packets: [pk('vlan', P.vlanUdp4()), pk('plain', P.udp4()), pk('qinq', P.qinqTcp6()), pk('vlan x2', eth(0x0800, ipv4('1.1.1.1', '2.2.2.2', udp(1, 2)), [5]), { repeat: 2 })] },
  { obj: 'xdp3/encap.o', prog: 'tail_ops', packets: [pk('echo', P.udp4(7)), pk('1500', P.big()), pk('64', pad(P.udp4(), 64)), pk('3520 grow', pad(eth(0x0800, ipv4('1.1.1.1', '2.2.2.2', udp(1, 7))), 3520))] },
  { obj: 'xdp3/meta.o', prog: 'meta_mark', packets: [pk('udp4', P.udp4()), pk('runt', P.runt()), pk('x3', P.udp4(), { repeat: 3 })] },
  {
    obj: 'xdp3/meta.o', prog: 'meta_read', packets: [
      pk('no ctx', P.udp4()),
      pk('ctx meta 8', Uint8Array.from([0xaa, 0xbb, 0xcc, 0xdd, 1, 2, 3, 4, ...P.udp4()]), { ctxIn: ctx(8, 8 + P.udp4().length) }),
      pk('ctx lo', P.tcp4(), { ctxIn: ctx(0, P.tcp4().length, 1, 0) }),
      pk('ctx meta 32', new Uint8Array([...new Array<number>(32).fill(7), ...P.udp4()]), { ctxIn: ctx(32, 32 + P.udp4().length) }),
    ],
  },
  limits(-8, 0, 0), limits(-32, 0, 0), limits(-36, 0, 0), limits(-216, 0, 0), limits(-220, 0, 0), limits(-6, 0, 0), limits(4, 0, 0),
  limits(0, -216, 0), limits(0, -217, 0), limits(-16, -200, 0), limits(-16, -201, 0), limits(0, 28, 0), limits(0, 29, 0),
  limits(0, 0, 3460, pad(P.udp4(), 60)), limits(0, 0, 3461, pad(P.udp4(), 60)), limits(0, 0, -46, pad(P.udp4(), 60)), limits(0, 0, -47, pad(P.udp4(), 60)),
  limits(-4, -100, 100), limits(0, 0, -1000),

  // Every map type.
  { obj: 'xdp3/maps.o', prog: 'lru_count', packets: [...mix(), pk('port 666', P.udp4(666)), pk('udp4', P.udp4())] },
  {
    obj: 'xdp3/maps.o', prog: 'lpm_route',
    setup: ['name routes key 8 0 0 0 10 0 0 0 value 1 0 0 0', 'name routes key 24 0 0 0 10 0 0 0 value 3 0 0 0', 'name routes key 32 0 0 0 10 0 0 2 value 2 0 0 0', 'name routes key 16 0 0 0 10 1 0 0 value 0 0 0 0'],
    packets: [pk('10.0.0.2 /32', P.udp4()), pk('10.0.0.5 /24', P.udp4(53, '1.1.1.1', '10.0.0.5')), pk('10.7.0.1 /8', P.udp4(53, '1.1.1.1', '10.7.0.1')), pk('10.1.2.3 /16', P.udp4(53, '1.1.1.1', '10.1.2.3')), pk('11.0.0.1 miss', P.udp4(53, '1.1.1.1', '11.0.0.1')), pk('ipv6', P.udp6())],
  },
  { obj: 'xdp3/maps.o', prog: 'queue_stack', packets: [pk('60', pad(P.udp4(), 60)), pk('100', P.big(100)), pk('pop', P.udp4(9)), pk('200', P.big(200)), pk('300', P.big(300)), pk('400', P.big(400)), pk('500', P.big(500)), pk('pop 2', P.udp4(9)), pk('pop 3', P.udp4(9))] },
  { obj: 'xdp3/maps.o', prog: 'ringbuf_log', packets: [pk('1', P.udp4()), pk('2', P.tcp4()), pk('x40', P.udp4(), { repeat: 40 }), pk('x200', P.udp4(), { repeat: 200 })] },
  {
    obj: 'xdp3/redirect.o', prog: 'redir_devmap', setup: ['name tx_ports key 1 0 0 0 value 1 0 0 0', 'name tx_ports key 3 0 0 0 value 1 0 0 0'],
    packets: [pk('key 1', P.udp4(53, '1.1.1.1', '10.0.0.1')), pk('key 2 missing', P.udp4(53, '1.1.1.1', '10.0.0.2')), pk('key 2 drop', P.udp4(2, '1.1.1.1', '10.0.0.2')), pk('bad flags', P.udp4(1, '1.1.1.1', '10.0.0.3')), pk('key 9 past end', P.udp4(53, '1.1.1.1', '10.0.0.9')), pk('tcp', P.tcp4())],
  },
  {
    obj: 'xdp3/redirect.o', prog: 'redir_devhash', setup: ['name tx_hash key 5 0 0 0 value 1 0 0 0'],
    packets: [pk('key 5', P.udp4(53, '1.1.1.1', '10.0.0.5')), pk('key 6 missing', P.udp4(2, '1.1.1.1', '10.0.0.6')), pk('bad flags', P.udp4(1, '1.1.1.1', '10.0.0.5'))],
  },
  {
    obj: 'xdp3/redirect.o', prog: 'redir_cpumap', setup: ['name cpus key 0 0 0 0 value 192 0 0 0'],
    packets: [pk('cpu 0', P.udp4(53, '1.1.1.1', '10.0.0.0')), pk('cpu 1 missing', P.udp4(2, '1.1.1.1', '10.0.0.1')), pk('cpu 7 past end', P.udp4(53, '1.1.1.1', '10.0.0.7')), pk('bad flags', P.udp4(1, '1.1.1.1', '10.0.0.0'))],
  },
  { obj: 'xdp3/redirect.o', prog: 'redir_xsk', packets: [pk('fallback pass', P.udp4()), pk('fallback drop', P.udp4(2)), pk('bad flags', P.udp4(1))] },
  { obj: 'xdp3/redirect.o', prog: 'redir_ifindex', packets: [pk('ifindex 2', P.udp4(53, '1.1.1.1', '10.0.0.2')), pk('flags', P.udp4(1))] },
  {
    obj: 'xdp3/tailcall.o', prog: 'tc_entry', setup: ['name jmp key 2 0 0 0 value name tc_loop'],
    packets: [pk('tcp', P.tcp4()), pk('udp', P.udp4()), pk('icmp loop', P.icmp4()), pk('other', eth(0x0800, ipv4('1.1.1.1', '2.2.2.2', { proto: 47, bytes: () => new Uint8Array(8) }))), pk('arp', P.arp())],
  },
  { obj: 'xdp3/tailcall.o', prog: 'tc_entry', packets: [pk('icmp, slot 2 empty', P.icmp4()), pk('udp', P.udp4())] },

  // Calls, loops, atomics; printk return values; bytes helpers; environment properties.
  { obj: 'xdp3/atomics.o', prog: 'atomic_ops', packets: [pk('udp4', P.udp4()), pk('tcp4', P.tcp4()), pk('runt', P.runt()), pk('1500', P.big()), pk('x5', P.udp6(), { repeat: 5 })] },
  { obj: 'xdp3/misc.o', prog: 'printk', packets: [pk('udp4', P.udp4()), pk('runt', P.runt())] },
  { obj: 'xdp3/misc.o', prog: 'bytes', packets: [pk('udp4', P.udp4()), pk('runt', P.runt()), pk('1500', P.big())] },
  { obj: 'xdp3/misc.o', prog: 'env_props', packets: [pk('udp4', P.udp4())] },
];
