// Regenerates the bundled captures from packet notation, deterministically:
//   XDPLAB_DIST=dist node programs/traffic/make.mjs      (after `npm run build`)
// udp-mix.pcap       mixed IPv4/IPv6 UDP, TCP, ICMP and ARP for the filter and forwarder topologies
//                    (every 7th UDP datagram goes to port 9999, which drop_udp.o drops)
// overlay.pcapng     compute-1 vRouter traffic; the pcapng interface is the ingress vif (0 fabric,
//                    3/4 blue VMs, 5 red VM): tunnelled traffic from compute-2, VM-to-VM, flow
//                    hits, flow misses (host fallback), unknown labels
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(here, '..', '..', process.env.XDPLAB_DIST ?? 'dist');
const { parsePacket, PcapWriter } = await import(join(dist, 'src/packet/index.js'));

// A deterministic generator (xorshift32) so the files do not change between runs.
let seed = 0x2545f491;
const rnd = (n) => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) % n; };

const MAC_A = '02:00:00:00:00:0a', MAC_B = '02:00:00:00:00:0b';
function mixPacket(i) {
  const src = `10.0.${rnd(4)}.${1 + rnd(250)}`, dst = `192.168.1.${1 + rnd(20)}`;
  const eth = `eth(dst=${MAC_B}, src=${MAC_A})`;
  const pad = rnd(10) < 7 ? rnd(40) : rnd(500);
  switch (i % 10) {
    case 0: return `${eth}/ipv4(src=${src}, dst=${dst})/tcp(sport=${1024 + rnd(60000)}, dport=443, flags=PA)/payload(len=${pad})`;
    case 1: return `${eth}/ipv6(src=fd00::${1 + rnd(200)}, dst=fd00::1)/udp(sport=${1024 + rnd(60000)}, dport=53)/payload(len=${pad})`;
    case 2: return `${eth}/ipv4(src=${src}, dst=${dst})/icmp(type=echo-request)/payload(len=${rnd(56)})`;
    case 3: return i % 30 === 3 ? `eth(dst=ff:ff:ff:ff:ff:ff, src=${MAC_A})/arp(op=request, spa=10.0.0.1, tpa=10.0.0.2)` : `${eth}/ipv4(src=${src}, dst=${dst})/udp(sport=${1024 + rnd(60000)}, dport=123)/payload(len=48)`;
    default: return `${eth}/ipv4(src=${src}, dst=${dst})/udp(sport=${1024 + rnd(60000)}, dport=${i % 7 === 0 ? 9999 : 53})/payload(len=${pad})`;
  }
}

const mix = new PcapWriter(join(here, 'udp-mix.pcap'));
for (let i = 0; i < 700; i++) mix.write(parsePacket(mixPacket(i)), 1e9 + i * 2000); // small times: exact as doubles
mix.close();

// compute-1 (programs/tables/compute-1.yaml)
const C1 = '52:54:00:00:01:11', C2 = '52:54:00:00:01:12', RMAC = '00:00:5e:00:01:00';
const VM1 = '02:00:00:01:01:03', VM2 = '02:00:00:01:01:04', VM3 = '02:00:00:02:02:03';
const fabric = (inner, label) => `eth(dst=${C1}, src=${C2})/ipv4(src=192.168.1.12, dst=192.168.1.11)/udp(sport=${49152 + rnd(10000)}, dport=6635)/mpls(label=${label}, ttl=63)/${inner}`;
function overlay(i) {
  const d = 10 + rnd(200);
  switch (i % 8) {
    case 0: return [0, fabric(`ipv4(src=10.1.1.5, dst=10.1.1.4, ttl=63)/udp(sport=${7000 + rnd(100)}, dport=7001)/payload(len=${d})`, 18)];
    case 1: return [4, `eth(dst=${RMAC}, src=${VM2})/ipv4(src=10.1.1.4, dst=10.1.1.${rnd(2) ? 3 : 5})/udp(sport=${5000 + rnd(100)}, dport=6000)/payload(len=${d})`];
    case 2: return [3, `eth(dst=${RMAC}, src=${VM1})/ipv4(src=10.1.1.3, dst=10.1.1.5)/tcp(sport=40000, dport=80, flags=PA)/payload(len=${d})`];
    case 3: return [0, fabric(`ipv4(src=10.1.1.5, dst=10.1.1.3, ttl=63)/tcp(sport=80, dport=40000, flags=A)/payload(len=${d})`, 17)];
    case 4: return [3, `eth(dst=${RMAC}, src=${VM1})/ipv4(src=10.1.1.3, dst=10.1.1.${4 + rnd(2)})/tcp(sport=${20000 + rnd(50)}, dport=22, flags=S)`];
    case 5: return [5, `eth(dst=02:00:00:02:02:05, src=${VM3})/ipv4(src=10.2.2.3, dst=10.2.2.5)/udp(sport=4000, dport=4001)/payload(len=${d})`];
    case 6: return [0, fabric(`ipv4(src=10.1.1.5, dst=10.1.1.4)/udp(sport=1, dport=2)`, 99)];
    default: return [4, `eth(dst=${RMAC}, src=${VM2})/ipv4(src=10.1.1.4, dst=8.8.${rnd(4)}.8)/udp(sport=${30000 + rnd(1000)}, dport=53)/payload(len=${d})`];
  }
}

// pcapng: one Interface Description Block per vif, Enhanced Packet Blocks naming the interface.
const blocks = [];
const block = (type, body) => {
  const len = 12 + body.length + ((4 - (body.length % 4)) % 4);
  const b = Buffer.alloc(len);
  b.writeUInt32LE(type, 0); b.writeUInt32LE(len, 4); body.copy(b, 8); b.writeUInt32LE(len, len - 4);
  blocks.push(b);
};
const shb = Buffer.alloc(16); shb.writeUInt32LE(0x1a2b3c4d, 0); shb.writeUInt16LE(1, 4); shb.writeUInt16LE(0, 6); shb.writeBigInt64LE(-1n, 8);
block(0x0a0d0d0a, shb);
for (let i = 0; i < 6; i++) { const idb = Buffer.alloc(8); idb.writeUInt16LE(1, 0); idb.writeUInt32LE(262144, 4); block(1, idb); }
for (let i = 0; i < 400; i++) {
  const [iface, text] = overlay(i);
  const data = Buffer.from(parsePacket(text));
  const ts = 1_000_000n + BigInt(i * 5); // microseconds (the default if_tsresol)
  const epb = Buffer.alloc(20 + data.length + ((4 - (data.length % 4)) % 4));
  epb.writeUInt32LE(iface, 0); epb.writeUInt32LE(Number(ts >> 32n), 4); epb.writeUInt32LE(Number(ts & 0xffffffffn), 8);
  epb.writeUInt32LE(data.length, 12); epb.writeUInt32LE(data.length, 16); data.copy(epb, 20);
  block(6, epb);
}
writeFileSync(join(here, 'overlay.pcapng'), Buffer.concat(blocks));
console.log('wrote udp-mix.pcap and overlay.pcapng');
