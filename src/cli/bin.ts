#!/usr/bin/env node
// The `pushcheck` command unbundled: dist/cli/pushcheck.js imports it when the build had no esbuild
// (src/cli/bundle.ts); otherwise pushcheck.js is launch.ts, running the bundle with its code cache.
import { exitOnceWritten } from './exit.js';
import { freeDeadBuffersWithinScavenges } from './gcTuning.js';
import { main } from './main.js';

freeDeadBuffersWithinScavenges();

main(process.argv.slice(2)).then(exitOnceWritten);
