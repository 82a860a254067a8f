// Runs every uvu test file under dist/test in one process and ends with the line
// `N passed, N failed[, N skipped]` that CI reads. Exit code 1 when any test failed.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const uvuBin = join(here, '..', '..', 'node_modules', 'uvu', 'bin.js');
const pattern = process.argv[2] ?? '.test.js$';
const res = spawnSync(process.execPath, [uvuBin, here, pattern], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 28 });
const out = res.stdout ?? '';
process.stdout.write(out);
const num = (label: string): number => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(out)?.[1] ?? 0);
const total = num('Total');
const passed = num('Passed');
const skipped = num('Skipped');
const failed = Math.max(0, total - passed - skipped) + (res.status !== 0 && total === passed + skipped ? 1 : 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || res.status !== 0 ? 1 : 0);
