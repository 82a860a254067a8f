// Line-rate arithmetic: on the wire every frame carries 20 more bytes (7 preamble, 1 start
// delimiter, 12 inter-frame gap), so 64-byte frames at 10 GbE are 14.88 Mpps, 67.2 ns each.

export const WIRE_OVERHEAD_BYTES = 20;

/** Nanoseconds one frame of `frameBytes` (with FCS) occupies a link of `gbps`. */
export function frameTimeNs(frameBytes: number, gbps: number): number {
  return ((frameBytes + WIRE_OVERHEAD_BYTES) * 8) / gbps;
}

/** Frames per second at line rate, in Mpps. */
export function lineRateMpps(frameBytes: number, gbps: number): number {
  return 1000 / frameTimeNs(frameBytes, gbps);
}

/** CPU cycles available per packet at `mpps` on one core of `ghz`. */
export function cycleBudget(mpps: number, ghz: number): number {
  return (ghz * 1000) / mpps;
}

/** Mpps one core of `ghz` sustains at `cycles` per packet. */
export function mppsPerCore(cycles: number, ghz: number): number {
  return cycles > 0 ? (ghz * 1000) / cycles : Infinity;
}
