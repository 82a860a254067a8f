// Offered rates as users write them: a link speed (`10G`, `25G`, `100Gbps`, `400M`) is line rate
// for the traffic's size mix, counting the 20 bytes of preamble, start delimiter and
// inter-frame gap per frame; a packet rate (`14.88Mpps`, `1000000pps`, `500kpps`) is taken as is.
import { fail } from '../diag/index.js';
import { WIRE_OVERHEAD_BYTES } from './linerate.js';

export type Rate = { kind: 'link'; gbps: number; text: string } | { kind: 'packets'; mpps: number; text: string };

const LINK: Record<string, number> = { '': 1e9, k: 1e3, m: 1e6, g: 1e9, t: 1e12 };
const PPS: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9 };

/** Parse `10G`, `25Gbps`, `400M`, `14.88Mpps`, `1000000pps`, `500kpps`; a bad text fails with a usage diagnostic. */
export function parseRate(text: string, option = '--rate'): Rate {
  const t = text.trim();
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*([kmgt]?)(pps|bps|b|bit\/s)?$/i.exec(t);
  const bad = (): never => fail('usage', `${option} wants a link speed (10G, 25G, 100Gbps) or a packet rate (14.88Mpps, 1000000pps), not '${text}'`);
  if (!m) return bad();
  const n = Number(m[1]);
  const prefix = m[2]!.toLowerCase();
  const unit = (m[3] ?? '').toLowerCase();
  if (unit === 'pps') {
    const scale = PPS[prefix];
    if (scale === undefined) return bad();
    const mpps = (n * scale) / 1e6;
    if (!(mpps > 0)) fail('usage', `${option} must be more than 0 packets per second, got '${text}'`);
    return { kind: 'packets', mpps, text: t };
  }
  // A bare number without a prefix is ambiguous (bits? packets?): ask for a unit.
  if (prefix === '' && unit === '') fail('usage', `${option} '${text}' has no unit: write 10G (link speed) or 14.88Mpps (packets per second)`);
  const gbps = (n * LINK[prefix]!) / 1e9;
  if (!(gbps > 0)) fail('usage', `${option} must be more than 0 bits per second, got '${text}'`);
  return { kind: 'link', gbps, text: t };
}

/**
 * Packets per second (in Mpps) a rate means for traffic whose mean frame is `meanFrameBytes`
 * (with FCS): line rate is the link speed over the mean time a frame occupies the wire.
 */
export function offeredMpps(rate: Rate, meanFrameBytes: number): number {
  if (rate.kind === 'packets') return rate.mpps;
  return (rate.gbps * 1e3) / ((meanFrameBytes + WIRE_OVERHEAD_BYTES) * 8);
}

/** `10 Gb/s`, `14.88 Mpps`: a rate for people. */
export function formatRate(rate: Rate): string {
  return rate.kind === 'link' ? `${+rate.gbps.toPrecision(4)} Gb/s` : `${+rate.mpps.toPrecision(4)} Mpps`;
}
