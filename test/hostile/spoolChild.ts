import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { readStream } from '../../src/evidence/read.js';
import { DEFAULT_LIMITS } from '../../src/evidence/types.js';

/**
 * Run by signals.test.ts as its own process: reads a download that is zip
 * data inside gzip and never ends, so a spool is being written when the test
 * sends the signal.
 */
const header = Buffer.alloc(30);
header.writeUInt32LE(0x04034b50, 0);
let sent = 0;
const endless = new Readable({
  read() {
    setTimeout(() => this.push(sent++ === 0 ? header : Buffer.alloc(256 * 1024, 0x41)), 2);
  },
});
const gz = endless.pipe(createGzip({ level: 1 }));
await readStream('upload.zip.gz', gz, { limits: DEFAULT_LIMITS });
