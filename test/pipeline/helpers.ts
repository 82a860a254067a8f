// Shared set-up for the pipeline tests: the repository root, the bundled topologies and traffic,
// topologies written from text next to the bundled ones (so relative paths resolve), and
// whether tshark is installed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPipeline, type RunOptions, type Summary } from '../../src/pipeline/index.js';

export const repo = fileURLToPath(new URL('../../../', import.meta.url));
export const topologies = readdirSync(join(repo, 'programs/topologies')).filter((f) => f.endsWith('.yaml')).map((f) => join(repo, 'programs/topologies', f));
export const topo = (name: string): string => join(repo, 'programs/topologies', `${name}.yaml`);
export const traffic = (name: string): string => join(repo, 'programs/traffic', name);

export const tshark = spawnSync('tshark', ['--version'], { encoding: 'utf8' }).status === 0;

/** A topology file written into a temp dir; `obj` paths are given absolute. */
export function topologyFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'xdplab-topo-'));
  const file = join(dir, 'topology.yaml');
  writeFileSync(file, text);
  return file;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'xdplab-pipe-'));
}

export const dropUdp = join(repo, 'programs/xdp/drop_udp.o');

/** A generated profile file with the given YAML body. */
export function profileFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'xdplab-traffic-'));
  const file = join(dir, 'traffic.yaml');
  writeFileSync(file, text);
  return file;
}

export async function run(topology: string, opts: RunOptions): Promise<Summary> {
  return runPipeline(topology, opts);
}

/** The summary without wall-clock figures (what must be identical between runs). */
export function stable(s: Summary): unknown {
  return { ...s, wall: undefined };
}

export function balancedEverywhere(s: Summary): boolean {
  if (s.in !== s.tx + s.redirected + s.delivered + s.dropped + s.queued) return false;
  for (const p of Object.values(s.paths)) {
    if (p.in !== p.tx + p.redirected + p.delivered + p.dropped + p.queued + p.passed) return false;
  }
  return s.balanced;
}
