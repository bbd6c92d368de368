#!/usr/bin/env node
// The `pushcheck` command (package.json "bin"). The build bundles it into one file (src/cli/bundle.ts):
// a run then opens a handful of files instead of a hundred and eighty modules.
import { freeDeadBuffersWithinScavenges } from './gcTuning.js';
import { main } from './main.js';

freeDeadBuffersWithinScavenges();

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
