export * from './mempool.js';
export * from './checksum.js';
export * from './pcap.js';
export * from './headers-api.js';
