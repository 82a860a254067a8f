// Every command of the CLI. Each module exports `register(program)`.
import type { Command } from 'commander';
import { register as disasm } from './disasm.js';
import { register as bench } from './bench.js';
import { register as asm } from './asm.js';
import { register as run } from './run.js';
import { register as map } from './map.js';
import { register as tables } from './tables.js';
import { register as demo } from './demo.js';
import { register as compile } from './compile.js';
import { register as grammar } from './grammar.js';
import { register as test } from './test.js';
import { register as verify } from './verify.js';
import { register as compare } from './compare.js';
import { register as pipeline } from './pipeline.js';

type Register = (program: Command) => void;

export const commands: Register[] = [
  disasm,
  bench,
  asm,
  run,
  map,
  tables,
  demo,
  compile,
  grammar,
  test,
  verify,
  compare,
  pipeline,
];
