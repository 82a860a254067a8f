// The generated parser: mirrors src/rules/eval-parse.ts step by step. Every packet load is
// preceded by `if ptr + size > data_end goto done` on the same pointer, which is what the
// kernel verifier needs to accept it. During the parse r9 holds the FLAGS bits, r5 the
// ethertype or L4 protocol, r4 the current header offset (a small bounded scalar).
import { Emitter, type Label, type Reg } from './emit.js';
import { ALL_SLOTS, flagBits, SLOT, type SlotName } from './layout.js';
import { UDP_VXLAN_PORT } from '../fields.js';

export function emitParse(e: Emitter): void {
  const done = e.label();
  e.note('parse headers');
  e.movr(6, 1);
  e.ldx('w', 7, 6, 0); // data
  e.ldx('w', 8, 6, 4); // data_end
  e.mov(0, 0);
  for (const off of ALL_SLOTS) e.stx('dw', 10, off, 0);
  e.movr(1, 8);
  e.alur('sub', 1, 7);
  e.stx('dw', 10, SLOT.PKTLEN, 1);
  e.mov(9, 0);

  // Ethernet
  need(e, 7, 14, done);
  flag(e, 'eth');
  loadMac(e, 0, 'ETH_DST');
  loadMac(e, 6, 'ETH_SRC');
  e.ldx('h', 5, 7, 12);
  e.be(5, 16);
  e.mov(4, 14);
  // Up to two VLAN tags, each needing its TCI and the next ethertype in the packet.
  const l3 = e.label();
  for (const [tag, slot, bit] of [[0, 'TCI1', 'vlan'], [1, 'TCI2', 'vlan2']] as const) {
    const isTag = e.label();
    e.jcond('jeq', 5, 0x8100, isTag);
    e.jcond('jne', 5, 0x88a8, l3);
    e.bind(isTag);
    const base = 12 + 4 * tag;
    need(e, 7, base + 6, l3);
    e.ldx('h', 1, 7, base + 2);
    e.be(1, 16);
    e.stx('dw', 10, SLOT[slot], 1);
    flag(e, bit);
    e.ldx('h', 5, 7, base + 4);
    e.be(5, 16);
    e.mov(4, base + 6);
  }
  e.bind(l3);
  e.stx('dw', 10, SLOT.ETH_TYPE, 5);
  e.stx('dw', 10, SLOT.L3OFF, 4);
  // r3 = data + l3off for the L3 parsers.
  e.movr(3, 7);
  e.alur('add', 3, 4);

  const mpls = e.label(), notMpls = e.label(), ip4 = e.label(), ip6 = e.label(), l4 = e.label();
  e.jcond('jeq', 5, 0x8847, mpls);
  e.jcond('jne', 5, 0x8848, notMpls);
  e.bind(mpls);
  need(e, 3, 4, done);
  e.ldx('w', 1, 3, 0);
  e.be(1, 32);
  e.stx('dw', 10, SLOT.MPLS, 1);
  flag(e, 'mpls');
  e.alu('and', 1, 0x100);
  e.jcond('jeq', 1, 0, done);
  flag(e, 'bos');
  e.jmp(done);
  e.bind(notMpls);
  const notArp = e.label();
  e.jcond('jne', 5, 0x0806, notArp);
  flag(e, 'arp');
  e.jmp(done);
  e.bind(notArp);
  e.jcond('jeq', 5, 0x0800, ip4);
  e.jcond('jeq', 5, 0x86dd, ip6);
  e.jmp(done);

  // IPv4: version 4, IHL >= 5; L4 only when the fragment offset is 0.
  e.bind(ip4);
  need(e, 3, 20, done);
  e.ldx('b', 0, 3, 0);
  e.movr(1, 0);
  e.alu('rsh', 1, 4);
  e.jcond('jne', 1, 4, done);
  e.alu('and', 0, 0xf);
  e.jcond('jlt', 0, 5, done);
  flag(e, 'ip');
  for (const [off, slot] of [[0, 'IP_W0'], [4, 'IP_W1'], [8, 'IP_W2'], [12, 'IP_SRC'], [16, 'IP_DST']] as const) {
    e.ldx('w', 1, 3, off);
    e.be(1, 32);
    e.stx('dw', 10, SLOT[slot], 1);
  }
  e.ldx('dw', 1, 10, SLOT.IP_W1);
  const notFrag = e.label();
  e.movr(2, 1);
  e.alu('and', 2, 0x3fff);
  e.jcond('jeq', 2, 0, notFrag);
  flag(e, 'frag4');
  e.bind(notFrag);
  e.alu('and', 1, 0x1fff);
  e.jcond('jne', 1, 0, done);
  e.ldx('dw', 5, 10, SLOT.IP_W2);
  e.alu('rsh', 5, 16);
  e.alu('and', 5, 0xff);
  e.alu('lsh', 0, 2);
  e.alur('add', 4, 0);
  e.jmp(l4);

  // IPv6: fixed header, then at most one fragment header (only its first fragment has L4).
  e.bind(ip6);
  need(e, 3, 40, done);
  e.ldx('w', 1, 3, 0);
  e.be(1, 32);
  e.movr(2, 1);
  e.alu('rsh', 2, 28);
  e.jcond('jne', 2, 6, done);
  flag(e, 'ip6');
  e.stx('dw', 10, SLOT.IP6_W0, 1);
  const words: [number, SlotName][] = [[4, 'IP6_W1'], [8, 'IP6_SRC0'], [12, 'IP6_SRC1'], [16, 'IP6_SRC2'], [20, 'IP6_SRC3'],
    [24, 'IP6_DST0'], [28, 'IP6_DST1'], [32, 'IP6_DST2'], [36, 'IP6_DST3']];
  for (const [off, slot] of words) {
    e.ldx('w', 1, 3, off);
    e.be(1, 32);
    e.stx('dw', 10, SLOT[slot], 1);
  }
  e.ldx('b', 5, 3, 6);
  e.alu('add', 4, 40);
  e.jcond('jne', 5, 44, l4);
  flag(e, 'frag6');
  e.movr(3, 7);
  e.alur('add', 3, 4);
  need(e, 3, 8, done);
  e.ldx('h', 1, 3, 2);
  e.be(1, 16);
  e.jcond('jset', 1, 0xfff8, done);
  e.ldx('b', 5, 3, 0);
  e.alu('add', 4, 8);

  // L4: r4 = offset, r5 = protocol.
  e.bind(l4);
  e.stx('dw', 10, SLOT.L4OFF, 4);
  e.movr(3, 7);
  e.alur('add', 3, 4);
  const udp = e.label(), icmp = e.label(), icmp6 = e.label(), gre = e.label();
  e.jcond('jeq', 5, 17, udp);
  e.jcond('jeq', 5, 1, icmp);
  e.jcond('jeq', 5, 58, icmp6);
  e.jcond('jeq', 5, 47, gre);
  e.jcond('jne', 5, 6, done);
  need(e, 3, 20, done);
  ports(e);
  e.ldx('b', 1, 3, 13);
  e.stx('dw', 10, SLOT.TCPFLAGS, 1);
  flag(e, 'tcp');
  e.jmp(done);

  e.bind(udp);
  need(e, 3, 8, done);
  ports(e);
  flag(e, 'udp');
  e.alu('and', 1, 0xffff);
  e.jcond('jne', 1, UDP_VXLAN_PORT, done);
  need(e, 3, 16, done);
  e.ldx('b', 1, 3, 8);
  e.alu('and', 1, 0x08);
  e.jcond('jeq', 1, 0, done);
  e.ldx('w', 1, 3, 12);
  e.be(1, 32);
  e.alu('rsh', 1, 8);
  e.stx('dw', 10, SLOT.VNI, 1);
  flag(e, 'vxlan');
  e.jmp(done);

  for (const [label, ipBit, bit] of [[icmp, 'ip', 'icmp'], [icmp6, 'ip6', 'icmp6']] as const) {
    e.bind(label);
    e.movr(1, 9);
    e.alu('and', 1, flagBits(ipBit));
    e.jcond('jeq', 1, 0, done);
    need(e, 3, 4, done);
    e.ldx('h', 1, 3, 0);
    e.be(1, 16);
    e.stx('dw', 10, SLOT.ICMP, 1);
    flag(e, bit);
    e.jmp(done);
  }

  e.bind(gre);
  need(e, 3, 4, done);
  flag(e, 'gre');

  e.bind(done);
  e.stx('dw', 10, SLOT.FLAGS, 9);
}

/** if base + n > data_end goto fail (r2 is clobbered). */
export function need(e: Emitter, base: Reg, n: number, fail: Label): void {
  e.movr(2, base);
  e.alu('add', 2, n);
  e.jcondr('jgt', 2, 8, fail);
}

function flag(e: Emitter, p: Parameters<typeof flagBits>[0]): void { e.alu('or', 9, flagBits(p)); }

/** A 48-bit MAC at data + off as one integer. */
function loadMac(e: Emitter, off: number, slot: SlotName): void {
  e.ldx('w', 1, 7, off);
  e.be(1, 32);
  e.alu('lsh', 1, 16);
  e.ldx('h', 2, 7, off + 4);
  e.be(2, 16);
  e.alur('or', 1, 2);
  e.stx('dw', 10, SLOT[slot], 1);
}

/** PORTS = sport << 16 | dport; leaves it in r1. */
function ports(e: Emitter): void {
  e.ldx('w', 1, 3, 0);
  e.be(1, 32);
  e.stx('dw', 10, SLOT.PORTS, 1);
}
