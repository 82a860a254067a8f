import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { demo } from '../../src/cli/commands/demo.js';

test('the demo assembles, disassembles and runs the bundled programs with the right verdicts', () => {
  const text = demo();
  assert.match(text, /assembled programs\/asm\/ipv4_only\.s: 10 instructions, 80 bytes/);
  assert.match(text, /ipv4_only\.s in the interpreter\n  UDP to port 53 +-> XDP_PASS[^\n]*\n  UDP to port 9999 +-> XDP_PASS[^\n]*\n  ARP frame +-> XDP_DROP/);
  assert.match(text, /drop_udp\.o in the interpreter\n  UDP to port 53 +-> XDP_PASS[^\n]*\n  UDP to port 9999 +-> XDP_DROP[^\n]*\n  ARP frame +-> XDP_PASS/);
  assert.match(text, /28:\tif r1 == 3879 goto \+1 <LBB0_8>/);
  // two UDP frames counted under protocol 17, the ARP frame under 255 ("other")
  assert.match(text, /key: 11 00 00 00  value: 02 00 00 00 00 00 00 00/);
});

test.run();
