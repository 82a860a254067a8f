// The public face of the header codecs, the packet notation and the printers.
export type { FieldKind, FieldSpec, FieldValue, Layer, LayerInput, LayerSpec, ChecksumVerdict, Values } from './headers.js';
export { LAYERS, layerSpec, fieldSpec } from './headers-table.js';
export { ETHERTYPES, IPPROTOS, IPV6_EXTS, UDP_PORTS, GRE_PROTOS } from './headers-links.js';
export { formatMac, parseMac, formatIpv4, parseIpv4, formatIpv6, parseIpv6, parseHex, toHex as bytesToHex } from './headers-addr.js';
export { dissect } from './headers-dissect.js';
export { encodeLayers, type Encoded } from './headers-encode.js';
export { parsePacket, parsePackets, parsePacketLayers } from './notation.js';
export { formatPacket, formatValue } from './print.js';
export { formatPacketVerbose } from './print-verbose.js';
export { diffPackets } from './print-diff.js';
