// Every command of the CLI. Each module exports `register(program)`.
import type { Command } from 'commander';

type Register = (program: Command) => void;

export const commands: Register[] = [
];
