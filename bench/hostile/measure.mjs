// Loaded with --import into each process bench/hostile.ts starts: reports the
// process's peak RSS on descriptor 3 as it exits.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  try {
    writeSync(3, `${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })}\n`);
  } catch {
    // Not started by the bench: nothing to report to.
  }
});
