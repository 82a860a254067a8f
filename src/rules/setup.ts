// Set contents as map keys: big-endian values, LPM keys prefixed with a host-order u32
// prefix length (struct bpf_lpm_trie_key). The compiled program builds the same bytes.
import type { SetDecl } from './ir.js';

export function setKey(s: SetDecl, value: bigint, plen = s.bits): Uint8Array {
  const bytes = new Uint8Array((s.prefix ? 4 : 0) + s.bytes);
  let o = 0;
  if (s.prefix) { new DataView(bytes.buffer).setUint32(0, plen, true); o = 4; }
  for (let i = 0; i < s.bytes; i++) bytes[o + i] = Number((value >> BigInt(8 * (s.bytes - 1 - i))) & 0xffn);
  return bytes;
}
