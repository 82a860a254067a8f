// Drop reasons, in the order and with the labels `dropstats` prints (tf-vrouter utils/dropstats.c).
// A Verdict names a drop by its key; counters are indexed by position.

const LABELS = [
  ['invalid_if', 'Invalid IF'], ['invalid_arp', 'Invalid ARP'], ['trap_no_if', 'Trap No IF'],
  ['interface_tx_discard', 'IF TX Discard'], ['interface_drop', 'IF Drop'], ['interface_rx_discard', 'IF RX Discard'],
  ['flow_unusable', 'Flow Unusable'], ['flow_no_memory', 'Flow No Memory'], ['flow_table_full', 'Flow Table Full'],
  ['flow_nat_no_rflow', 'Flow NAT no rflow'], ['flow_action_drop', 'Flow Action Drop'],
  ['flow_action_invalid', 'Flow Action Invalid'], ['flow_invalid_protocol', 'Flow Invalid Protocol'],
  ['flow_queue_limit_exceeded', 'Flow Queue Limit Exceeded'], ['new_flow_drops', 'New Flow Drops'],
  ['flow_evict', 'Flow Unusable (Eviction)'], ['trap_original', 'Original Packet Trapped'], ['discard', 'Discards'],
  ['ttl_exceeded', 'TTL Exceeded'], ['mcast_clone_fail', 'Mcast Clone Fail'], ['invalid_nh', 'Invalid NH'],
  ['invalid_label', 'Invalid Label'], ['invalid_protocol', 'Invalid Protocol'], ['leaf_to_leaf', 'Etree Leaf to Leaf'],
  ['bmac_isid_mismatch', 'Bmac/ISID Mismatch'], ['rewrite_fail', 'Rewrite Fail'], ['invalid_mcast_source', 'Invalid Mcast Source'],
  ['packet_loop', 'Packet Loop'], ['push', 'Push Fails'], ['pull', 'Pull Fails'], ['duplicated', 'Duplicate'],
  ['head_alloc_fail', 'Head Alloc Fails'], ['pcow_fail', 'PCOW fails'], ['invalid_packet', 'Invalid Packets'],
  ['misc', 'Misc'], ['nowhere_to_go', 'Nowhere to go'], ['cksum_err', 'Checksum errors'], ['no_fmd', 'No Fmd'],
  ['invalid_vnid', 'Invalid VNID'], ['frag_err', 'Fragment errors'], ['invalid_source', 'Invalid Source'],
  ['l2_jumbo_df', 'Jumbo Mcast Pkt with DF Bit'], ['l2_no_route', 'No L2 Route'], ['no_memory', 'Memory Failures'],
  ['fragment_queue_fail', 'Fragment Queueing Failures'], ['no_crypt_path', 'No Encrypt Path Failures'],
  ['invalid_hbs_pkt', 'Invalid HBS received packet'], ['no_frag_entry', 'No Fragment Entries'], ['icmp_error', 'ICMP errors'],
  ['clone_fail', 'Clone Failures'], ['invalid_underlay_ecmp', 'Invalid underlay ECMP'],
] as const;

export type DropReason = typeof LABELS[number][0];
export const DROP_REASONS: ReadonlyArray<DropReason> = LABELS.map((l) => l[0]);
export const DROP_LABEL: Readonly<Record<DropReason, string>> = Object.fromEntries(LABELS) as Record<DropReason, string>;
export const DROP_INDEX: Readonly<Record<DropReason, number>> =
  Object.fromEntries(LABELS.map((l, i) => [l[0], i])) as Record<DropReason, number>;
