// The bundled example programs: each C file has its object committed and listed in the
// README, the object is what the source builds to, it disassembles, and the kernel loads it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readElf, SHF } from '../../src/elf/index.js';
import { disasmBytes } from '../../src/cli/commands/disasm.js';
import { repoRoot } from '../conformance-data.js';

const xdpDir = join(repoRoot, 'programs', 'xdp');
const sources = readdirSync(xdpDir).filter((f) => f.endsWith('.c')).sort();
const has = (cmd: string, args: string[]): boolean => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

/** Bytes of every executable section, by name: what a rebuild must reproduce. */
function code(bytes: Uint8Array, file: string): Record<string, string> {
  const elf = readElf(bytes, file);
  const out: Record<string, string> = {};
  for (const s of elf.sections) if (s.flags & SHF.EXECINSTR && s.size > 0) out[s.name] = Buffer.from(s.data).toString('hex');
  return out;
}

test('at least six example programs, each with its object and a README entry', () => {
  assert.ok(sources.length >= 6, `${sources.length} programs`);
  const readme = readFileSync(join(repoRoot, 'programs', 'README.md'), 'utf8');
  for (const c of sources) {
    const o = c.replace(/\.c$/, '.o');
    assert.ok(existsSync(join(xdpDir, o)), `${o} is committed`);
    assert.ok(readme.includes(`xdp/${c}`), `programs/README.md lists ${c}`);
  }
});

test('every object has an XDP program and disassembles', () => {
  for (const c of sources) {
    const o = c.replace(/\.c$/, '.o');
    const text = disasmBytes(new Uint8Array(readFileSync(join(xdpDir, o))), o);
    assert.match(text, 'Disassembly of section xdp:', o);
    assert.match(text, /\texit\n/, o);
  }
});

const clangMissing = has('clang', ['--version']) ? undefined : 'clang is not installed';
if (clangMissing) {
  console.log(`skipping rebuild check: ${clangMissing}`);
  test.skip('the committed objects are what the sources build to', () => {});
} else {
  test('the committed objects are what the sources build to (code sections)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xdplab-programs-'));
    try {
      for (const c of sources) {
        const out = join(dir, c.replace(/\.c$/, '.o'));
        const r = spawnSync('clang', ['-O2', '-g', '-target', 'bpf', '-I/usr/include/x86_64-linux-gnu', '-c', c, '-o', out], { cwd: xdpDir, encoding: 'utf8' });
        assert.is(r.status, 0, `clang ${c}: ${r.stderr}`);
        const committed = join(xdpDir, c.replace(/\.c$/, '.o'));
        assert.equal(code(new Uint8Array(readFileSync(out)), out), code(new Uint8Array(readFileSync(committed)), committed), `${c}: run programs/build.sh`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

const kernelMissing = !has('bpftool', ['version']) ? 'bpftool is not installed'
  : process.getuid?.() !== 0 ? 'loading BPF programs needs root'
  : !existsSync('/sys/fs/bpf') ? '/sys/fs/bpf is not mounted' : undefined;
if (kernelMissing) {
  console.log(`skipping kernel load check: ${kernelMissing}`);
  test.skip('the kernel verifier accepts every object', () => {});
} else {
  test('the kernel verifier accepts every object', () => {
    for (const c of sources) {
      const o = c.replace(/\.c$/, '.o');
      const pin = `/sys/fs/bpf/xdplab_test_${process.pid}_${o.replace(/\W/g, '_')}`;
      const r = spawnSync('bpftool', ['prog', 'load', join(xdpDir, o), pin], { encoding: 'utf8' });
      if (existsSync(pin)) rmSync(pin);
      assert.is(r.status, 0, `bpftool prog load ${o}: ${r.stderr.split('\n').slice(-8).join('\n')}`);
    }
  });
}

test.run();
