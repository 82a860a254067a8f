// The report as a user sees it: headless Chromium loads the file, the charts are in the DOM
// after load, and the screenshot is a real picture (not one colour). Skips without chromium.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { compare, openSubject, parseRate, readCostProfile, readNicProfile, reportHtml, loadTraffic } from '../../src/cost/index.js';
import { repoRoot } from '../conformance-data.js';

const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find((c) => spawnSync(c, ['--version'], { encoding: 'utf8' }).status === 0);
if (!chromium) console.log('  skip: report-chromium: chromium is not installed (apt-get install chromium)');
const it = chromium ? test : test.skip;

function browser(args: string[], dir: string): { stdout: string; status: number | null } {
  const r = spawnSync(chromium!, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', `--user-data-dir=${join(dir, 'profile')}`, ...args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 26 });
  return { stdout: r.stdout ?? '', status: r.status };
}

/** Width, height and the inflated scanlines of a PNG. */
function png(bytes: Uint8Array): { width: number; height: number; raw: Uint8Array } {
  const b = Buffer.from(bytes);
  assert.is(b.subarray(0, 8).toString('hex'), '89504e470d0a1a0a');
  const idat: Buffer[] = [];
  let width = 0, height = 0;
  for (let off = 8; off < b.length;) {
    const len = b.readUInt32BE(off), type = b.toString('latin1', off + 4, off + 8);
    if (type === 'IHDR') { width = b.readUInt32BE(off + 8); height = b.readUInt32BE(off + 12); }
    if (type === 'IDAT') idat.push(b.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  return { width, height, raw: inflateSync(Buffer.concat(idat)) };
}

it('the report renders in headless Chromium with its charts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xdplab-report-'));
  try {
    const profile = readCostProfile();
    const r = compare(openSubject(join(repoRoot, 'programs', 'rules', 'dns_ntp_amp.rules')), loadTraffic(join(repoRoot, 'programs', 'traffic', 'profiles', 'amp-attack.yaml')),
      { profile, nic: readNicProfile(), rate: parseRate('10G') });
    const file = join(dir, 'report.html');
    writeFileSync(file, reportHtml([r], profile));
    const url = pathToFileURL(file).href;

    const dom = browser(['--dump-dom', url], dir);
    assert.is(dom.status, 0);
    assert.is((dom.stdout.match(/<svg\b/g) ?? []).length, 3);
    assert.match(dom.stdout, /Host CPU cycles per packet by placement/);
    assert.match(dom.stdout, /Host cores needed vs offered rate/);
    assert.match(dom.stdout, /<rect|<path/);

    const shot = join(dir, 'shot.png');
    const s = browser([`--screenshot=${shot}`, '--window-size=1280,2000', url], dir);
    assert.is(s.status, 0);
    const { width, height, raw } = png(readFileSync(shot));
    assert.is(width, 1280);
    assert.is(height, 2000);
    // A blank or one-colour page compresses to almost nothing and has few distinct byte values.
    const distinct = new Set(raw).size;
    assert.ok(distinct > 64, `only ${distinct} distinct byte values in the pixels`);
    let nonWhite = 0;
    for (let i = 0; i < raw.length; i++) if (raw[i] !== 255 && raw[i] !== 0) nonWhite++;
    assert.ok(nonWhite / raw.length > 0.01, `only ${(100 * nonWhite / raw.length).toFixed(2)}% of bytes are neither 0 nor 255`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
