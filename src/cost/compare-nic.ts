// NIC profiles for the smartnic placement: by path, or by name from programs/profiles
// (`agilio-cx` -> nic-agilio-cx.json, the default; `small` -> nic-small.json).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../diag/index.js';
import { loadProfile, type NicProfile } from '../smartnic/index.js';
import { profilesDir } from './load.js';

export const DEFAULT_NIC = 'agilio-cx';

export function readNicProfile(nameOrPath: string = DEFAULT_NIC): NicProfile {
  const file = nameOrPath.endsWith('.json') ? nameOrPath : join(profilesDir(), `nic-${nameOrPath}.json`);
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch {
    return fail('io', `cannot read NIC profile ${file}`, { notes: ['give a path ending in .json or a name from programs/profiles (nic-NAME.json): agilio-cx, small'] });
  }
  let json: unknown;
  try { json = JSON.parse(text); } catch (e) {
    return fail('semantic', `${file}: not valid JSON (${(e as Error).message})`);
  }
  return loadProfile(json, file);
}
