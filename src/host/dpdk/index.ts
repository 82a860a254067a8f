export { DpdkModel, type DpdkCounters, type LcoreStats } from './model.js';
export { Port, wireNs, type PortConfig, type PortStats } from './port.js';
export type { DpdkConfig, LcoreConfig, RingConfig, BpfCallback } from './config.js';
