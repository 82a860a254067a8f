// `xdplab verify FILE...`: the verifier on objects, assembly and rule sets; why a program is
// rejected (headline, source line, registers, path, counterexample, the kernel's words), and
// with --target hw what keeps it off the NIC. Exit 0 all accepted, 1 a rejection, 2 bad input.
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { fail, renderDiagnostic, XdplabError } from '../../diag/index.js';
import { assemble } from '../../asm/index.js';
import { findProgram, loadObject, parseGlobalOption, parseMapSizeOption, type BpfObject } from '../../elf/index.js';
import { compileRules, loadRules } from '../../rules/index.js';
import {
  errorJson, explainError, inputFromProgram, logLines, offloadCheck, verify,
  type OffloadResult, type VerifierInput, type VerifyOptions, type VerifyResult,
} from '../../verifier/index.js';
import { action, readInput, readText } from '../util.js';

interface Opts { prog?: string; caps?: string; target?: string; logLevel?: string; json?: boolean; mapSize?: string[]; rodata?: string[]; quiet?: boolean }

interface Unit { file: string; name: string; input: VerifierInput; insns: number }
interface Verdict { unit: Unit; result: VerifyResult; offload?: OffloadResult; ms: number }

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** `bpf,net_admin` -> the verifier's privilege mode. */
export function parseCaps(text: string | undefined): VerifyOptions['caps'] {
  if (text === undefined) return 'root';
  const caps = new Set(text.toLowerCase().split(',').map((c) => c.trim().replace(/^cap_/, '')).filter(Boolean));
  const known = ['sys_admin', 'perfmon', 'bpf', 'net_admin', 'root'];
  for (const c of caps) if (!known.includes(c)) fail('usage', `--caps: unknown capability '${c}' (known: bpf, net_admin, perfmon, sys_admin)`);
  if (caps.has('root') || caps.has('sys_admin') || (caps.has('perfmon') && caps.has('bpf'))) return 'root';
  if (!caps.has('bpf') && !caps.has('sys_admin')) fail('usage', '--caps: loading a program needs CAP_BPF (or CAP_SYS_ADMIN)');
  if (!caps.has('net_admin')) fail('usage', '--caps: XDP programs also need CAP_NET_ADMIN: use --caps bpf,net_admin');
  return 'bpf_net_admin';
}

/** Expand `*`, `?` and `**` in an argument the shell left alone (quoted globs, Windows shells). */
export function expandGlob(pattern: string): string[] {
  if (!/[*?]/.test(pattern)) return [pattern];
  const parts = pattern.split('/');
  const rx = (seg: string): RegExp => new RegExp(`^${seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
  const out: string[] = [];
  const walk = (dir: string, k: number): void => {
    if (k === parts.length) { out.push(dir); return; }
    const seg = parts[k]!;
    const here = dir === '' ? '.' : dir;
    const join2 = (name: string): string => (dir === '' ? name : dir === '/' ? `/${name}` : join(dir, name));
    if (!/[*?]/.test(seg)) { walk(dir === '' && seg === '' ? '/' : join2(seg), k + 1); return; }
    let names: string[];
    try { names = readdirSync(here).sort(); } catch { return; }
    if (seg === '**') {
      walk(dir, k + 1);
      for (const n of names) if (!n.startsWith('.') && isDir(join2(n))) walk(join2(n), k);
      return;
    }
    const re = rx(seg);
    for (const n of names) if (re.test(n) && !n.startsWith('.')) walk(join2(n), k + 1);
  };
  walk('', 0);
  return [...new Set(out)].filter((p) => { try { return statSync(p).isFile(); } catch { return false; } });
}

const isDir = (p: string): boolean => { try { return statSync(p).isDirectory(); } catch { return false; } };

/** An object, tolerating maps left for the loader to size: they get one entry for the analysis. */
function openObject(file: string, o: Opts, notes: string[]): BpfObject {
  const bytes = readInput(file);
  const mapSizes: Record<string, number> = {};
  for (const a of o.mapSize ?? []) parseMapSizeOption(a, mapSizes);
  const globals = (o.rodata ?? []).map(parseGlobalOption);
  for (let tries = 0; ; tries++) {
    try {
      return loadObject(new Uint8Array(bytes), file, { mapSizes, globals });
    } catch (e) {
      const m = e instanceof XdplabError && tries < 16 ? /map '([^']+)' has max_entries 0/.exec(e.diagnostics[0]?.message ?? '') : null;
      if (!m) throw e;
      mapSizes[m[1]!] = 1;
      notes.push(`map ${m[1]} has max_entries 0 (sized at load time); verified as if it had 1 entry (give --map-size ${m[1]}=N)`);
    }
  }
}

function unitsOf(file: string, o: Opts, notes: string[]): Unit[] {
  if (/\.s$/i.test(file)) {
    const a = assemble(readText(file), file);
    return [{ file, name: basename(file).replace(/\.s$/i, ''), input: { insns: a.insns, maps: [], progType: 'xdp' }, insns: a.insns.length }];
  }
  if (/\.rules$/i.test(file)) {
    const c = compileRules(loadRules(file));
    return [{ file, name: 'xdp_rules', input: { insns: c.insns, maps: c.maps, progType: 'xdp' }, insns: c.insns.length }];
  }
  const obj = openObject(file, o, notes);
  for (const w of obj.warnings ?? []) notes.push(w);
  const progs = o.prog !== undefined ? [findProgram(obj, o.prog)] : obj.programs;
  if (progs.length === 0) fail('usage', `${file} holds no programs`);
  const out: Unit[] = [];
  for (const p of progs) {
    if (p.type !== 'xdp') { notes.push(`${p.name} (section ${p.section}) is not an XDP program: skipped`); continue; }
    out.push({ file, name: p.name, input: inputFromProgram(obj, p), insns: p.insns.length });
  }
  return out;
}

function run(u: Unit, opts: VerifyOptions, hw: boolean): Verdict {
  const t0 = performance.now();
  let result: VerifyResult;
  let offload: OffloadResult | undefined;
  if (hw) {
    offload = offloadCheck(u.input, { caps: opts.caps, insnLimit: opts.insnLimit });
    result = opts.log ? verify(u.input, { ...opts, target: 'hw' }) : offload.verify;
  } else result = verify(u.input, opts);
  return { unit: u, result, offload, ms: performance.now() - t0 };
}

const passed = (v: Verdict): boolean => v.result.ok && (v.offload?.offloadable ?? true);

function printText(v: Verdict, level: number): void {
  const { unit: u, result: r } = v;
  const out: string[] = [];
  const stats = `${u.insns} insns, processed ${r.processedInsns}, stack ${r.maxStackDepth} B, ${v.ms.toFixed(1)} ms`;
  if (!r.ok) {
    out.push(`REJECTED  ${u.file}: ${u.name}  (${stats})`);
    for (const e of r.errors) out.push(...explainError(u.input, e));
  } else if (v.offload && !v.offload.offloadable) out.push(`NO-HW     ${u.file}: ${u.name}  (the kernel accepts it; the NIC does not)`);
  else out.push(`ok        ${u.file}: ${u.name}  (${stats})`);
  if (v.offload && r.ok) {
    for (const x of v.offload.reasons) {
      const where = x.pc !== undefined ? `insn ${x.pc}: ` : '';
      out.push(`  ${x.severity === 'blocks' ? 'offload' : 'note'}: ${where}${x.text}`);
    }
  }
  const log = logLines(r, level);
  if (log.length) out.push(`  log:`, ...log.flatMap((l) => l.split('\n')).map((l) => `    ${l}`));
  process.stdout.write(out.join('\n') + '\n');
}

function verdictJson(v: Verdict): Record<string, unknown> {
  const { unit: u, result: r } = v;
  return {
    file: u.file, program: u.name, ok: passed(v), accepted: r.ok, insns: u.insns, processed_insns: r.processedInsns,
    stack_depth: r.maxStackDepth, stack_depths: r.stackDepths, time_ms: Number(v.ms.toFixed(2)),
    errors: r.errors.map((e) => errorJson(u.input, e)),
    ...(v.offload ? { offload: { offloadable: v.offload.offloadable, reasons: v.offload.reasons } } : {}),
    ...(r.log ? { log: r.log } : {}),
  };
}

export function register(program: Command): void {
  program
    .command('verify')
    .description('run the eBPF verifier on objects, assembly or rule sets and explain every rejection')
    .argument('<files...>', 'BPF objects (.o), assembly (.s, one XDP program) or rule sets (.rules); globs allowed')
    .option('--prog <name>', 'verify only this program (function or section name) of each object, with the functions it calls')
    .option('--caps <list>', 'capabilities of the loader: bpf,net_admin applies the stricter rules of a loader without CAP_PERFMON (default: root)')
    .option('--target <where>', 'hw: also check what NIC offload (XDP_FLAGS_HW_MODE) allows and name what prevents it')
    .option('--log-level <n>', '1: the failing path as the kernel logs it; 2: the full per-instruction log')
    .option('--map-size <name=n>', 'max_entries of a map sized at load time; repeatable', collect)
    .option('--rodata <name=value>', 'set a global (const volatile) variable before verifying; repeatable', collect)
    .option('-q, --quiet', 'print only rejections and the summary')
    .option('--json', 'print the verdicts as JSON')
    .addHelpText('after', `
A rejection prints the instruction and one sentence on what is wrong, the source line (from
BTF line info), the register state there, the branch decisions from the entry that lead to
it, a concrete counterexample where one exists, and the kernel verifier's message.

Examples:
  $ xdplab verify programs/xdp/drop_udp.o
  $ xdplab verify programs/unsafe/off_by_one.s
  $ xdplab verify 'programs/**/*.o' --quiet
  $ xdplab verify programs/unsafe/uninit_stack.s --caps bpf,net_admin
  $ xdplab verify programs/xdp3/redirect.o --prog redir_devmap --target hw
  $ xdplab verify programs/rules/edge_acl.rules --log-level 2
  $ xdplab verify prog.o --json | jq '.programs[] | select(.ok | not)'
Exit status: 0 every program accepted, 1 a program rejected (or not offloadable with
--target hw), 2 bad usage or an input that cannot be read.`)
    .action(action((patterns: string[], o: Opts) => {
      const caps = parseCaps(o.caps);
      if (o.target !== undefined && o.target !== 'hw' && o.target !== 'host') fail('usage', `--target takes hw (NIC offload) or host, not '${o.target}'`);
      const level = o.logLevel === undefined ? 0 : o.logLevel === '1' ? 1 : o.logLevel === '2' ? 2 : fail('usage', `--log-level takes 1 or 2, not '${o.logLevel}'`);
      const hw = o.target === 'hw';
      const files = patterns.flatMap((p) => {
        const f = expandGlob(p);
        if (f.length === 0) process.stderr.write(`error: ${p}: no such file\n`);
        return f.length ? f : [p];
      });
      const verdicts: Verdict[] = [];
      const bad: { file: string; error: string }[] = [];
      const t0 = performance.now();
      for (const file of files) {
        const notes: string[] = [];
        let units: Unit[];
        try {
          units = unitsOf(file, o, notes);
        } catch (e) {
          if (!(e instanceof XdplabError)) throw e;
          const text = e.diagnostics.map(renderDiagnostic).join('\n');
          bad.push({ file, error: text });
          if (!o.json) process.stderr.write(`${text}\n`);
          continue;
        }
        if (!o.json) for (const n of notes) process.stderr.write(`note: ${file}: ${n}\n`);
        for (const u of units) {
          const v = run(u, { caps, log: level > 0 }, hw);
          verdicts.push(v);
          if (!o.json && !(o.quiet && passed(v))) printText(v, level);
        }
      }
      const ms = performance.now() - t0;
      const ok = verdicts.filter(passed).length;
      const failed = verdicts.length - ok;
      if (o.json) {
        process.stdout.write(JSON.stringify({
          programs: verdicts.map(verdictJson), bad_inputs: bad,
          summary: { files: files.length, programs: verdicts.length, accepted: ok, rejected: failed, bad_inputs: bad.length, time_ms: Number(ms.toFixed(1)) },
        }, null, 2) + '\n');
      } else if (verdicts.length + bad.length > 1 || o.quiet) {
        const slowest = verdicts.reduce<Verdict | undefined>((a, v) => (!a || v.ms > a.ms ? v : a), undefined);
        process.stdout.write(`verified ${verdicts.length} program${verdicts.length === 1 ? '' : 's'} in ${files.length} file${files.length === 1 ? '' : 's'}: ${ok} ${hw ? 'offloadable' : 'accepted'}, ${failed} ${hw ? 'not offloadable' : 'rejected'}${bad.length ? `, ${bad.length} unreadable` : ''} (${(ms / 1000).toFixed(2)} s${slowest ? `; slowest ${slowest.unit.file}: ${slowest.unit.name} ${slowest.ms.toFixed(0)} ms` : ''})\n`);
      }
      return bad.length ? 2 : failed ? 1 : 0;
    }));
}
