// programs/unsafe: the corpus as files users read. Each file names in its header comment
// what the verifier must say (`expect:`), the kernel's message (`kernel:`, and
// `strict-kernel:` where strict mode differs) and `caps: bpf,net_admin` for programs only
// the strict rules reject. Where bpftool works, the kernel must agree in both modes.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assemble } from '../../src/asm/index.js';
import { loadObject, writeObject } from '../../src/elf/index.js';
import { inputFromProgram, verify, type VerifierInput, type VerifyOptions } from '../../src/verifier/index.js';
import { repoRoot } from '../conformance-data.js';
import { kernelLoad, kernelSkip, lastLine, strictSkip } from './helpers.js';

const dir = join(repoRoot, 'programs', 'unsafe');
const files = readdirSync(dir).filter((f) => /\.(s|o)$/.test(f)).sort();

function header(text: string, key: string): string | undefined {
  return new RegExp(`^\\s*(?:#|//)\\s*${key}:\\s*(.+)$`, 'm').exec(text)?.[1]?.trim();
}

interface Entry { file: string; input: VerifierInput; object: string; expect: string; kernel: string; strictKernel: string; strictOnly: boolean }

const tmp = mkdtempSync(join(tmpdir(), 'xdplab-unsafe-'));
const entries: Entry[] = files.map((file) => {
  const path = join(dir, file);
  const text = readFileSync(file.endsWith('.s') ? path : path.replace(/\.o$/, '.c'), 'utf8');
  let input: VerifierInput, object = path;
  if (file.endsWith('.s')) {
    const insns = assemble(text, file).insns;
    input = { insns, maps: [], progType: 'xdp' };
    object = join(tmp, file.replace(/\.s$/, '.o'));
    writeFileSync(object, writeObject({ programs: [{ name: 'prog', section: 'xdp', insns }], maps: [], license: 'GPL' }));
  } else {
    const obj = loadObject(new Uint8Array(readFileSync(path)), file);
    input = inputFromProgram(obj, obj.programs[0]!);
  }
  const kernel = header(text, 'kernel')!;
  return { file, input, object, expect: header(text, 'expect')!, kernel, strictKernel: header(text, 'strict-kernel') ?? kernel, strictOnly: header(text, 'caps') !== undefined };
});

test('the corpus has at least 20 files, each with its expectations', () => {
  assert.ok(entries.length >= 20, `${entries.length} files`);
  for (const e of entries) assert.ok(e.expect && e.kernel, `${e.file}: header needs expect: and kernel:`);
});

const strict: VerifyOptions = { caps: 'bpf_net_admin' };
for (const e of entries) {
  test(`${e.file}: rejected with the documented reason`, () => {
    const r = verify(e.input, e.strictOnly ? strict : {});
    assert.is(r.ok, false);
    assert.ok(r.errors[0]!.headline.includes(e.expect), r.errors[0]!.headline);
    assert.is(lastLine(r.errors[0]!.kernelMessage), e.kernel);
    if (e.strictOnly) assert.is(verify(e.input).ok, true, 'root accepts it');
    assert.is(lastLine(verify(e.input, strict).errors[0]!.kernelMessage), e.strictKernel);
  });
  if (e.file === 'unbounded_loop.s') continue; // the kernel needs a second per mode to say the same
  (kernelSkip ? test.skip : test)(`${e.file}: the kernel agrees (root)`, () => {
    const k = kernelLoad(e.object);
    assert.is(k.ok, e.strictOnly, k.last);
    if (!e.strictOnly) assert.is(k.last, e.kernel);
  });
  (strictSkip ? test.skip : test)(`${e.file}: the kernel agrees (CAP_BPF + CAP_NET_ADMIN)`, () => {
    const k = kernelLoad(e.object, 'bpf_net_admin');
    assert.is(k.ok, false);
    assert.is(k.last, e.strictKernel);
  });
}

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
