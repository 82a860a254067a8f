// Offered rates: link speeds become line rate for the traffic's size mix (20 bytes of preamble,
// delimiter and gap per frame); packet rates are taken as they are.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { XdplabError } from '../../src/diag/index.js';
import { offeredMpps, parseRate, formatRate } from '../../src/cost/index.js';

const close = (a: number, b: number, eps = 1e-3): void => assert.ok(Math.abs(a - b) < eps, `${a} vs ${b}`);

test('10G at 64-byte frames is 14.88 Mpps; 25G 37.2; 100G 148.8', () => {
  close(offeredMpps(parseRate('10G'), 64), 14.881);
  close(offeredMpps(parseRate('25G'), 64), 37.202);
  close(offeredMpps(parseRate('100Gbps'), 64), 148.810);
  close(offeredMpps(parseRate('400M'), 64), 0.595);
  // 1518-byte frames at 10G: 812.7 kpps
  close(offeredMpps(parseRate('10G'), 1518), 0.8127);
});

test('packet rates: 14.88Mpps, 1000000pps, 500kpps whatever the frame size', () => {
  close(offeredMpps(parseRate('14.88Mpps'), 1518), 14.88);
  close(offeredMpps(parseRate('1000000pps'), 64), 1);
  close(offeredMpps(parseRate('500kpps'), 64), 0.5);
  assert.is(formatRate(parseRate('25G')), '25 Gb/s');
  assert.is(formatRate(parseRate('14.88Mpps')), '14.88 Mpps');
});

test('bad rates are usage errors that say what is accepted', () => {
  for (const bad of ['', 'fast', '10', '0G', '-5G', '10 Gigs', '1e9pps', '0pps', 'G']) {
    try {
      parseRate(bad);
      assert.unreachable(bad);
    } catch (e) {
      assert.instance(e, XdplabError, bad);
      assert.is((e as XdplabError).exitCode, 2);
      assert.match((e as XdplabError).message, /--rate/);
    }
  }
  try { parseRate('10'); } catch (e) { assert.match((e as XdplabError).message, /has no unit/); }
});

test.run();
