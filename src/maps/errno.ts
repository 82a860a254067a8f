// Error numbers and update flags as the bpf(2) syscall and the map helpers use them.
// Map operations return 0 or a negative errno, exactly like the kernel functions they model.

export const EPERM = 1;
export const ENOENT = 2;
export const E2BIG = 7;
export const EBADF = 9;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EBUSY = 16;
export const EEXIST = 17;
export const ENODEV = 19;
export const EINVAL = 22;
export const ENOSPC = 28;
export const EOVERFLOW = 75;
export const EOPNOTSUPP = 95;
/** The kernel-internal ENOTSUPP that some map operations leak to user space. */
export const ENOTSUPP = 524;

const NAMES: Record<number, string> = {
  [EPERM]: 'EPERM', [ENOENT]: 'ENOENT', [E2BIG]: 'E2BIG', [EBADF]: 'EBADF', [EAGAIN]: 'EAGAIN',
  [ENOMEM]: 'ENOMEM', [EBUSY]: 'EBUSY', [EEXIST]: 'EEXIST', [ENODEV]: 'ENODEV', [EINVAL]: 'EINVAL',
  [ENOSPC]: 'ENOSPC', [EOVERFLOW]: 'EOVERFLOW', [EOPNOTSUPP]: 'EOPNOTSUPP', [ENOTSUPP]: 'ENOTSUPP',
};

/** `-17` -> `EEXIST`; `0` -> `0`. */
export function errnoName(ret: number): string {
  if (ret >= 0) return String(ret);
  return NAMES[-ret] ?? `errno ${-ret}`;
}

/** Update flags (BPF_ANY, BPF_NOEXIST, BPF_EXIST, BPF_F_LOCK), include/uapi/linux/bpf.h. */
export const BPF_ANY = 0;
export const BPF_NOEXIST = 1;
export const BPF_EXIST = 2;
export const BPF_F_LOCK = 4;

/** Ring buffer flags: output/submit wakeup control and bpf_ringbuf_query selectors. */
export const BPF_RB_NO_WAKEUP = 1;
export const BPF_RB_FORCE_WAKEUP = 2;
export const BPF_RB_AVAIL_DATA = 0;
export const BPF_RB_RING_SIZE = 1;
export const BPF_RB_CONS_POS = 2;
export const BPF_RB_PROD_POS = 3;

/** bpf_perf_event_output flags: low 32 bits select the index; this value means "this CPU". */
export const BPF_F_CURRENT_CPU = 0xffffffff;

/**
 * The update-flag check shared by array and hash maps (`(flags & ~BPF_F_LOCK) > BPF_EXIST`
 * -> -EINVAL). xdplab values carry no bpf_spin_lock, so BPF_F_LOCK itself is -EINVAL too,
 * as the syscall returns when the value type has no spin lock.
 */
export function badUpdateFlags(flags: number): boolean {
  return (flags & ~BPF_F_LOCK) > BPF_EXIST || flags < 0 || (flags & BPF_F_LOCK) !== 0;
}
