// Output pcaps open in tshark: the frame count per port equals the summary, and the frames
// dissect as what went in (TCP/UDP over IPv4 or MPLSoUDP-encapsulated for the vRouter).
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PcapReader } from '../../src/packet/index.js';
import { run, tempDir, topo, traffic, tshark } from './helpers.js';

if (!tshark) console.log('tshark.test: tshark is not installed; skipping the tshark read-back tests');
const t = tshark ? test : test.skip;

function tsharkCount(file: string, filter?: string): number {
  const args = ['-n', '-r', file, '-T', 'fields', '-e', 'frame.number'];
  if (filter) args.push('-Y', filter);
  const r = spawnSync('tshark', args, { encoding: 'utf8' });
  assert.is(r.status, 0, `tshark failed on ${file}: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.trim() !== '').length;
}

t('DPDK forwarder: eth1.pcap holds every forwarded frame, none to UDP port 9999', async () => {
  const dir = tempDir();
  const s = await run(topo('dpdk-forwarder'), { traffic: traffic('udp-mix.pcap'), out: dir });
  const file = s.ports.eth1!.pcap!;
  assert.is(tsharkCount(file), s.ports.eth1!.tx);
  assert.ok(s.ports.eth1!.tx > 0);
  assert.is(tsharkCount(file, 'udp.dstport == 9999'), 0);
  assert.is(tsharkCount(s.ports.eth0!.pcap!), 0);
  let n = 0;
  for (const _ of new PcapReader(file)) n++;
  assert.is(n, s.ports.eth1!.tx, 'our reader agrees');
});

t('vRouter offload: tunnelled frames to compute-2 dissect as MPLS over UDP; VM frames as IPv4', async () => {
  const dir = tempDir();
  const s = await run(topo('vrouter-offload'), { traffic: traffic('overlay.pcapng'), out: dir });
  const fabric = s.ports.eth0!.pcap!;
  assert.is(tsharkCount(fabric), s.ports.eth0!.tx);
  assert.ok(tsharkCount(fabric, 'mpls') > 0, 'MPLS-encapsulated frames toward compute-2');
  assert.is(tsharkCount(s.ports['tapvm2-blue']!.pcap!, 'ip.dst == 10.1.1.4'), s.ports['tapvm2-blue']!.tx);
});

t('generated traffic through the offloaded filter: IMIX frames written out are valid for tshark', async () => {
  const dir = tempDir();
  const s = await run(topo('dpdk-forwarder'), { traffic: traffic('imix-10g.yaml'), packets: 2000, out: dir });
  const file = s.ports.eth1!.pcap!;
  assert.is(tsharkCount(file), s.ports.eth1!.tx);
  assert.is(tsharkCount(file, 'frame.len == 1514 || frame.len == 566 || frame.len == 60'), s.ports.eth1!.tx, 'IMIX sizes without FCS');
  assert.is(tsharkCount(file, 'ip.checksum.status == "Bad" || udp.checksum.status == "Bad"'), 0);
});

test.run();
