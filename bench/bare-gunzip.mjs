// The reference for `npm run bench`: a bare Node gunzip of a file, 1 MiB reads and output buffers, output discarded.
// A whole process, as `pushcheck diagnose` is; it prints its peak RSS for the bench to read.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

let bytes = 0;
await new Promise((resolve, reject) => {
  const src = createReadStream(process.argv[2], { highWaterMark: 1 << 20 });
  const gz = createGunzip({ chunkSize: 1 << 20 });
  src.on('error', reject);
  gz.on('error', reject);
  gz.on('data', (c) => {
    bytes += c.length;
  });
  gz.on('end', resolve);
  src.pipe(gz);
});
const ru = process.resourceUsage();
process.stderr.write(`${JSON.stringify({ expandedBytes: bytes, cpuS: (ru.userCPUTime + ru.systemCPUTime) / 1e6, maxRssMb: ru.maxRSS / 1024 })}\n`);
