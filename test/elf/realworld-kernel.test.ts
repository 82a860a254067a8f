// programs/realworld against the running kernel: each object the kernel can load runs on the
// same packets through BPF_PROG_TEST_RUN (bpftool) and in xdplab; retval, data_out and the
// named maps must agree after every packet. rodata_filter runs with its configuration written
// into the object's .rodata (what a skeleton does before load). Skipped, with the reason,
// where bpftool cannot load programs. Not here: unsized_map (the kernel refuses max_entries 0
// until a loader sizes it), legacy_maps (libbpf 1.x refuses them), kfuncs_meta (metadata
// kfuncs need a device-bound program).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { kernelStatus, KernelSession } from '../../src/cli/kernel.js';
import { loadObject, readElf, type GlobalSetting } from '../../src/elf/index.js';
import { loadRuntime } from '../../src/vm/runtime/index.js';
import { repoRoot } from '../conformance-data.js';

const status = kernelStatus();
if (!status.ok) console.log(`realworld kernel tests skipped: ${status.reason}`);
const ktest = status.ok ? test : test.skip;
const dir = join(repoRoot, 'programs', 'realworld');
const pkt = (name: string): Uint8Array => name === 'ones'
  ? new Uint8Array(64).fill(1)
  : new Uint8Array(readFileSync(join(repoRoot, 'test/fixtures/realworld/packets', `${name}.bin`)));
const hex = (b: Uint8Array | number[]): string => Buffer.from(b).toString('hex');

interface Case { obj: string; prog: string; packets: string[]; maps: string[]; globals?: GlobalSetting[]; setup?: (rt: ReturnType<typeof loadRuntime>, s: KernelSession) => void }

const CASES: Case[] = [
  { obj: 'core_parse', prog: 'core_parse', packets: ['syn23', 'tcp80', 'udp53', 'arp', 'ttl1', 'syn23'], maps: ['stats'] },
  { obj: 'rodata_filter', prog: 'rodata_filter', packets: ['udp53', 'udp80', 'ttl1', 'mac1', 'arp'], maps: [],
    globals: [{ name: 'blocked_port', value: '53' }, { name: 'min_ttl', value: '2' }] },
  { obj: 'rodata_filter', prog: 'rodata_filter', packets: ['udp53', 'udp80', 'tcp22', 'mac1'], maps: [],
    globals: [{ name: 'blocked_mac', value: '02:00:00:00:00:09' }, { name: 'blocked_net', value: '0x0a090000' }, { name: 'blocked_prefix', value: '16' }] },
  { obj: 'multi_prog', prog: 'xdp_entry', packets: ['tcp22', 'tcp22', 'tcp22', 'udp53', 'arp'], maps: ['hits'],
    setup: (rt, s) => { rt.map('tcp_limit').updateElem(Uint8Array.from([0, 0, 0, 0]), Uint8Array.from([2, 0, 0, 0])); s.update('name tcp_limit key 0 0 0 0 value 2 0 0 0'); } },
  { obj: 'multi_prog', prog: 'xdp_frags_pass', packets: ['udp53', 'arp'], maps: ['hits'] },
  { obj: 'huge_array', prog: 'bucket_count', packets: ['udp53', 'udp53', 'udp53', 'udp53', 'tcp22'], maps: [] },
  { obj: 'kfuncs', prog: 'kfunc_user', packets: ['tcp22', 'tcp80', 'udp53', 'arp'], maps: ['seen'] },
  { obj: 'loop', prog: 'loop_sum', packets: ['udp80', 'ones', 'arp'], maps: ['result'] },
];

/** The object with its globals written into the section images (a skeleton's rodata). */
function configured(bytes: Uint8Array, file: string, globals: GlobalSetting[]): Uint8Array {
  const obj = loadObject(bytes, file, { globals });
  const elf = readElf(bytes, file);
  const out = bytes.slice();
  for (const m of obj.maps) {
    const sec = m.initialData && elf.sectionByName(m.name);
    if (sec && sec.type === 1) out.set(m.initialData!, sec.offset);
  }
  return out;
}

for (const c of CASES) {
  const label = `${c.obj}${c.globals ? ` (${c.globals.map((g) => `${g.name}=${g.value}`).join(', ')})` : ''}: ${c.prog} agrees with the kernel`;
  ktest(label, () => {
    const file = join(dir, `${c.obj}.o`);
    let bytes: Uint8Array = new Uint8Array(readFileSync(file));
    const tmp = mkdtempSync(join(tmpdir(), 'xdplab-rw-'));
    let path = file;
    if (c.globals) { bytes = configured(bytes, `${c.obj}.o`, c.globals); path = join(tmp, `${c.obj}.o`); writeFileSync(path, bytes); }
    const s = new KernelSession(path);
    try {
      const rt = loadRuntime(loadObject(bytes, `${c.obj}.o`), { prog: c.prog, cpus: 1 });
      c.setup?.(rt, s);
      for (const [i, p] of c.packets.entries()) {
        const data = pkt(p);
        const k = s.run(c.prog, data, 1, { cpu: 0 });
        const x = rt.testRun(data);
        const what = `${c.prog} packet ${i} (${p})`;
        assert.is(x.retval, k.retval, `${what}: retval`);
        assert.is(hex(x.dataOut), hex(k.dataOut), `${what}: data_out`);
        for (const m of c.maps) {
          const ours = rt.map(m);
          for (const e of s.dump(m)) {
            const v = ours.lookupElem(Uint8Array.from(e.key));
            assert.is(hex(v ?? []), hex(e.value ?? []), `${what}: map ${m} key ${hex(e.key)}`);
          }
        }
      }
    } finally {
      s.close();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
}

test.run();
