#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UsageError } from './args.js';
import type { RunOptions } from './diagnose.js';
import { HELP } from './help.js';

/*
 * The entry point loads only what every command needs. The commands that read
 * evidence live in run.ts and are imported when one of them runs: a run pays
 * for the readers, the engine and the renderers, `pushcheck help` does not.
 */

export interface CliIO extends RunOptions {
  out: { write(s: string): unknown };
  err: { write(s: string): unknown };
  isTTY: boolean;
}

export async function main(argv: string[], io: CliIO = { out: process.stdout, err: process.stderr, isTTY: !!process.stdout.isTTY }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out.write(HELP);
        return command === undefined ? 2 : 0;
      case 'diagnose':
        return await (await import('./run.js')).diagnoseCommand(rest, io);
      case 'feedback':
        return await (await import('./run.js')).feedbackCommand(rest, io);
      default:
        throw new UsageError(`unknown command "${command}" (try: pushcheck help)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err.write(`pushcheck: ${e.message}\n`);
      return 2;
    }
    // By name: RuleLoadError's module is not loaded for a usage error, and need not be to recognise one.
    if (e instanceof Error && e.name === 'RuleLoadError') {
      io.err.write(`pushcheck: ${e.message}\n`);
      return 1;
    }
    io.err.write(`pushcheck: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

/**
 * Run as a script (`node dist/cli/main.js …`). The package's bin is bin.ts, bundled into
 * pushcheck.js with this module inside it: there, this module is not main.js, and bin.ts runs main().
 */
function invokedDirectly(): boolean {
  // npm links bin/ through a symlink: compare real paths.
  try {
    const self = fileURLToPath(import.meta.url);
    return /[\\/]main\.[jt]s$/.test(self) && !!process.argv[1] && realpathSync(process.argv[1]) === self;
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
