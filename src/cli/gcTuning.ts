import { setFlagsFromString } from 'node:v8';

/*
 * Inflating a bundle makes a new buffer for each piece zlib hands out (about 750 MB of them for a
 * 330 MB .tar.gz), each dead a moment later. V8 counts buffer memory allocated since its last full
 * collection against the old generation's limit, and frees dead young buffers on a helper thread
 * after a scavenge: the check that follows the scavenge still sees them, up to 32 MB, and on a heap
 * past V8's 8 MB threshold for incremental marking (ours is 11-12 MB) that starts a full
 * collection after nearly every scavenge: 25-30 full collections on the push-heavy bench bundle,
 * where a bare gunzip (a 4 MB heap) does none. Freeing them within the scavenge keeps that check
 * to what is alive: on that bundle, a median of 26 full collections to 6 and process CPU 2.93 s to
 * 2.62 s. A process-wide setting: the command (bin.ts) and the bot (main.ts) make it for their own processes; the library never does.
 */
export function freeDeadBuffersWithinScavenges(): void {
  setFlagsFromString('--no-concurrent-array-buffer-sweeping');
}
