// Reading profiles from disk: by path, or by name from programs/profiles (host-<name>.json).
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail } from '../diag/index.js';
import { loadCostProfile, type CostProfile } from './profile.js';

export const DEFAULT_PROFILE = 'xeon-e5-1650v4';

/** programs/profiles of this checkout (found from src/ or from a dist-NAME/src/ build). */
export function profilesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const cand = join(dir, 'programs', 'profiles');
    if (existsSync(cand)) return cand;
    dir = dirname(dir);
  }
  return resolve('programs/profiles');
}

/** A profile by file path, or by name (`xeon-e5-1650v4` → programs/profiles/host-xeon-e5-1650v4.json). */
export function readCostProfile(nameOrPath: string = DEFAULT_PROFILE): CostProfile {
  const file = nameOrPath.endsWith('.json') ? nameOrPath : join(profilesDir(), `host-${nameOrPath}.json`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return fail('io', `cannot read cost profile ${file}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail('semantic', `${file}: not valid JSON (${(e as Error).message})`);
  }
  return loadCostProfile(json, file);
}
