// The `pushcheck` command as built (dist/cli/pushcheck.js, the package's "bin"): runs the bundled CLI
// (dist/cli/pushcheck.cjs) with the code cache the build made for it (cli/codeCache.ts).
import { fileURLToPath } from 'node:url';
import { loopTurn } from '../case/steps.js';
import { loadBundle } from './codeCache.js';
import { exitOnceWritten } from './exit.js';
import { freeDeadBuffersWithinScavenges } from './gcTuning.js';

// Before the bundle is compiled: V8 takes a code cache only under the flags it was made with.
freeDeadBuffersWithinScavenges();

const { exports: cli, cached } = await loadBundle(fileURLToPath(new URL('./pushcheck.cjs', import.meta.url)));
// As case/trace.ts traces the phases of a run.
if (process.env.PUSHCHECK_TRACE_PHASES)
  process.stderr.write(`pushcheck phase loaded (${cached ? 'from the code cache' : 'compiled from source'}): ${performance.now().toFixed(0)} ms\n`);
// The command's first stretch (loading the readers it runs, opening the input) in a turn of its own, too.
await loopTurn();
cli.main(process.argv.slice(2)).then(exitOnceWritten);
