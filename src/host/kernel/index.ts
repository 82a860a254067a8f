export { KernelModel, type KernelCounters } from './model.js';
export { Receiver } from './receiver.js';
export type { KernelConfig, XdpHook, StackDecision } from './config.js';
