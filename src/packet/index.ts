export * from './mempool.js';
export * from './checksum.js';
export * from './pcap.js';
