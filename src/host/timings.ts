// Per-stage service times the host models charge, in virtual nanoseconds. The cost floor fills
// this from a profile (cost/hostTimings); the host floor only consumes numbers.

export interface HostTimings {
  // DPDK poll-mode driver and library
  dpdkRxPerPacket: number;
  dpdkRxPerBurst: number;
  dpdkTxPerPacket: number;
  dpdkTxPerBurst: number;
  mbufAlloc: number;
  mbufFree: number;
  emptyPoll: number;
  ringPerBurst: number;
  ringPerPacket: number;
  ringMpExtra: number;
  bpfPerPacket: number;
  // Kernel driver and NAPI
  driverRxPerPacket: number;
  napiPoll: number;
  irq: number;
  irqCoalesce: number;
  /** Packets per NAPI poll. */
  napiWeight: number;
  /** Packets per softirq run. */
  netdevBudget: number;
  // XDP
  xdpHookNative: number;
  xdpHookGeneric: number;
  xdpDrop: number;
  xdpTx: number;
  xdpRedirect: number;
  // Kernel stack
  skbAlloc: number;
  kfreeSkb: number;
  gro: number;
  netifReceive: number;
  ipRcv: number;
  nfDrop: number;
  conntrack: number;
  fibLookup: number;
  ipForward: number;
  devQueueXmit: number;
  driverXmit: number;
  udpDeliver: number;
  syscall: number;
  recvPerPacket: number;
  contextSwitch: number;
  /** Bytes charged to a socket per packet. */
  skbTruesize: number;
}
