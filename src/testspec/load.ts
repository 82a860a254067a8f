// Loading a spec file: YAML -> Spec, every path relative to the spec file, everything checked
// against the program before anything runs. Errors are XdplabErrors naming file:line:col.
import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { isMap, isScalar, isSeq, type Node, type Scalar, type YAMLSeq } from 'yaml';
import { XdplabError, type Diagnostic } from '../diag/index.js';
import { findProgram } from '../elf/index.js';
import { parseSetup, type SetupEntry } from '../maps/index.js';
import { parsePacket, PcapReader } from '../packet/index.js';
import { parseRoutes } from '../vm/helpers/index.js';
import { loadRuntime } from '../vm/runtime/index.js';
import { parseExpectations } from './load-expect.js';
import { openProgram, readBytes } from './program.js';
import type { Case, Spec } from './types.js';
import { hexBytes } from './values.js';
import { integer, mapping, oneOrMany, scalarString, scalarText, SpecSource } from './yaml-read.js';

const SPEC_KEYS = ['description', 'program', 'prog', 'setup', 'fib', 'cpus', 'seed', 'state', 'cases'];
const CASE_KEYS = ['name', 'prog', 'packet', 'hex', 'pcap', 'setup', 'repeat', 'cpu', 'ctx_in', 'skip',
  'verdict', 'output', 'output_hex', 'expect', 'redirect', 'maps', 'trace'];

/** Load and check a spec file. `shown` is how messages name it (default: the path). */
export function loadSpec(path: string, shown = path): Spec {
  const text = Buffer.from(readBytes(path, shown)).toString('utf8');
  return parseSpec(text, shown, dirname(path));
}

/** Parse spec text; relative paths in it resolve against `dir`. */
export function parseSpec(text: string, file: string, dir: string): Spec {
  const src = new SpecSource(file, text);
  const root = src.parse();
  const top = mapping(src, root, 'the spec', SPEC_KEYS);
  const need = (k: string): Node | null => {
    if (!top.has(k)) src.fail(root, `the spec has no '${k}:'`, [k === 'program' ? 'program: the .o, .s or .rules file under test, relative to the spec' : 'cases: a list of cases, each with a name, a packet and what to expect']);
    return top.get(k)!.value;
  };
  const progNode = scalarString(src, need('program'), 'program');
  const program = String(progNode.value);
  const programPath = resolve(dir, program);
  const shownProgram = relative(process.cwd(), programPath) || program;
  if (!existsSync(programPath)) src.fail(progNode, `program ${program} not found${shownProgram === program ? '' : ` (looked for ${shownProgram})`}`);
  const opened = at(src, progNode, () => openProgram(programPath, shownProgram));
  const progSel = top.get('prog');
  const prog = progSel ? scalarText(src, progSel.value, 'prog') : undefined;
  at(src, progSel?.value ?? progNode, () => findProgram(opened.object, prog));

  const stateNode = top.get('state')?.value ?? null;
  const state = stateNode === null ? 'reset' : scalarText(src, stateNode, 'state');
  if (state !== 'reset' && state !== 'carry') return src.fail(stateNode, `state must be 'reset' (a fresh program and maps per case, the default) or 'carry' (cases share them, in order)`);
  const spec: Spec = {
    file, program: shownProgram, programPath, object: opened.object, prog, state,
    cpus: top.has('cpus') ? integer(src, top.get('cpus')!.value, 'cpus', 1, 4096) : 1,
    seed: top.has('seed') ? integer(src, top.get('seed')!.value, 'seed', 0, 0xffffffff) : undefined,
    fib: top.has('fib') ? lines(src, top.get('fib')!.value, dir, 'fib', parseRoutes) : undefined,
    setup: [...opened.setup, ...(top.has('setup') ? lines(src, top.get('setup')!.value, dir, 'setup', parseSetup) : [])],
    cases: [],
  };
  // Load the program once with the spec's setup: bad map names and sizes are errors now.
  const runtimeOpts = { prog, cpus: spec.cpus, seed: spec.seed, fib: spec.fib };
  at(src, top.get('setup')?.value ?? progNode, () => loadRuntime(spec.object, { ...runtimeOpts, setup: spec.setup }));

  const casesNode = need('cases');
  if (!isSeq(casesNode) || casesNode.items.length === 0) src.fail(casesNode, 'cases must be a list with at least one case (- name: ...)');
  const names = new Set<string>();
  for (const item of (casesNode as YAMLSeq).items as Node[]) {
    const c = parseCase(src, item, spec, dir);
    if (names.has(c.name)) src.fail(item, `two cases are named '${c.name}'; names must be unique in a spec`);
    names.add(c.name);
    if (c.setup.length || c.prog !== undefined) at(src, item, () => loadRuntime(spec.object, { ...runtimeOpts, prog: c.prog ?? prog, setup: [...spec.setup, ...c.setup] }));
    spec.cases.push(c);
  }
  return spec;
}

function parseCase(src: SpecSource, node: Node, spec: Spec, dir: string): Case {
  const m = mapping(src, node, 'a case', CASE_KEYS);
  if (!m.has('name')) src.fail(node, "a case needs a 'name:'");
  const name = scalarText(src, m.get('name')!.value, 'name');
  const inputKeys = ['packet', 'hex', 'pcap'].filter((k) => m.has(k));
  if (inputKeys.length !== 1) {
    src.fail(inputKeys.length ? m.get(inputKeys[1]!)!.key : node, `case '${name}' needs exactly one of packet:, hex: or pcap: (the input)`);
  }
  const inputKey = inputKeys[0]!;
  const inputNode = m.get(inputKey)!.value;
  const inputs = inputKey === 'packet' ? packets(src, inputNode)
    : inputKey === 'hex' ? oneOrMany(inputNode).map((n) => hexBytes(src, n, 'hex'))
    : pcapPackets(src, inputNode, dir);
  if (inputs.length === 0) src.fail(inputNode, `case '${name}' has no packets`);
  // BPF_PROG_TEST_RUN refuses a frame without an Ethernet header (EINVAL): a spec error, not a failure.
  const short = inputs.findIndex((p) => p.length < 14);
  if (short >= 0) src.fail(inputNode, `packet${inputs.length > 1 ? ` ${short + 1}` : ''} is ${inputs[short]!.length} bytes; an XDP test run needs at least 14 (an Ethernet header)`);
  const skipNode = m.get('skip')?.value;
  const progPair = m.get('prog');
  const prog = progPair ? scalarText(src, progPair.value, 'prog') : undefined;
  if (progPair && spec.state === 'carry') src.fail(progPair.key, 'prog: in a case needs state: reset (with carry, every case runs the spec\'s program)');
  if (prog !== undefined) at(src, progPair!.value, () => findProgram(spec.object, prog));
  return {
    name,
    prog,
    where: src.where(node),
    inputs,
    setup: m.has('setup') ? lines(src, m.get('setup')!.value, dir, 'setup', parseSetup) : [],
    repeat: m.has('repeat') ? integer(src, m.get('repeat')!.value, 'repeat', 1, 1_000_000) : 1,
    cpu: m.has('cpu') ? integer(src, m.get('cpu')!.value, 'cpu', 0, spec.cpus - 1) : 0,
    ctxIn: m.has('ctx_in') ? hexBytes(src, m.get('ctx_in')!.value, 'ctx_in') : undefined,
    skip: skipNode === undefined ? undefined : skipNode === null || (isScalar(skipNode) && skipNode.value === true) ? 'skipped' : scalarText(src, skipNode, 'skip'),
    expect: parseExpectations(src, m, spec, inputs.length),
  };
}

/** `packet:` one packet or a list. In a flow list (`[a, b]`) commas split items: say so. */
function packets(src: SpecSource, node: Node | null): Uint8Array[] {
  try {
    return oneOrMany(node).map((n) => src.parseScalars([scalarString(src, n, 'packet')], parsePacket));
  } catch (e) {
    if (!(e instanceof XdplabError) || !isSeq(node) || !node.flow) throw e;
    const note = "in a [ ... ] list a comma ends the item: quote packets with commas (\"udp(sport=1, dport=2)\") or write one '- ' line per packet";
    throw new XdplabError(e.diagnostics.map((d) => ({ ...d, notes: [...(d.notes ?? []), note] })), e.exitCode);
  }
}

/** Text in a line-based format: inline (a string or a list of lines) or `{ file: PATH }`. */
function lines<T>(src: SpecSource, node: Node | null, dir: string, what: string, parse: (text: string, file: string) => T): T {
  if (isMap(node)) {
    const f = mapping(src, node, what, ['file']).get('file');
    if (!f) src.fail(node, `${what} as a mapping needs file: PATH`);
    const rel = scalarText(src, f.value, `${what} file`);
    const path = resolve(dir, rel);
    if (!existsSync(path)) src.fail(f.value, `${what} file ${rel} not found`);
    return parse(Buffer.from(readBytes(path, rel)).toString('utf8'), relative(process.cwd(), path) || rel);
  }
  return src.parseScalars(oneOrMany(node).map((n) => scalarString(src, n, what)), parse);
}

/** `pcap: FILE` (every packet) or `pcap: { file: FILE, index: N }` (one, counted from 0). */
function pcapPackets(src: SpecSource, node: Node | null, dir: string): Uint8Array[] {
  let fileNode = node;
  let index: number | undefined;
  if (isMap(node)) {
    const m = mapping(src, node, 'pcap', ['file', 'index']);
    if (!m.has('file')) src.fail(node, 'pcap as a mapping needs file: PATH');
    fileNode = m.get('file')!.value;
    if (m.has('index')) index = integer(src, m.get('index')!.value, 'pcap index', 0, 1e9);
  }
  const rel = scalarText(src, fileNode, 'pcap');
  const path = resolve(dir, rel);
  if (!existsSync(path)) src.fail(fileNode, `pcap file ${rel} not found`);
  const all = at(src, fileNode, () => [...new PcapReader(path)].map((r) => r.data));
  if (index === undefined) return all;
  if (index >= all.length) src.fail(node, `pcap index ${index} is past the end: ${rel} holds ${all.length} packet${all.length === 1 ? '' : 's'}`);
  return [all[index]!];
}

/** Run `fn`; its diagnostics without a position get the node's. */
function at<T>(src: SpecSource, node: Node | Scalar | null, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof XdplabError)) throw e;
    throw new XdplabError(e.diagnostics.map((d): Diagnostic => (d.where ? d : { ...d, where: src.where(node) })), e.exitCode);
  }
}
