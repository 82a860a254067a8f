// Possible CPUs as the kernel counts them (/sys/devices/system/cpu/possible), which is how
// many values bpftool shows for a per-CPU map; os.cpus() where that file does not exist.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

let cached: number | undefined;

export function hostCpus(): number {
  if (cached !== undefined) return cached;
  try {
    const text = readFileSync('/sys/devices/system/cpu/possible', 'utf8').trim();
    cached = text.split(',').reduce((n, part) => {
      const [a, b] = part.split('-').map(Number);
      return n + (b === undefined ? 1 : b! - a! + 1);
    }, 0);
  } catch {
    cached = Math.max(1, cpus().length);
  }
  return cached;
}
