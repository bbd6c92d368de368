import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { cacheFileOf, WRITE_CACHE_ENV } from './codeCache.js';

/*
 * The build's training runs for the code cache (cli/codeCache.ts): the built
 * command diagnoses a small sysdiagnose made here (device logs in the two
 * export styles, the MDM profile's plists, a log archive member) as JSON,
 * then as text in full, and writes the code of every function it ran. What
 * the runs never reach is compiled on first call, as without a cache.
 */

const ROOT = 'sysdiagnose_2026.11.22_10-00-00+0000_iPhone-OS_iPhone_22A100';
const EXAMPLE = fileURLToPath(new URL('../../examples/mdm-wrong-magic/', import.meta.url));
const TOPIC = 'com.apple.mgmt.External.4f2c6a7e-1b3d-4c5e-9f80-a1b2c3d4e5f6';

/** apsd and mdmd lines of a syslog-style export: connections, pushes, failures, check-ins. */
function syslogText(): string {
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    const ts = new Date(Date.UTC(2026, 10, 22, 9, 0, i * 7)).toISOString().replace('T', ' ').replace('Z', '+0000');
    const said = [
      `apsd[102] <Notice>: Connected to courier ${i % 40}-courier.push.apple.com`,
      `apsd[102] <Notice>: Received message for enabled topic ${TOPIC}`,
      `mdmd[899] <Notice>: Received push notification for topic ${TOPIC}`,
      'apsd[102] <Error>: Disconnecting in response to connection failure',
      `mdmd[899] <Error>: Task <1>.<${i}> finished with error [-1001] Error Domain=NSURLErrorDomain Code=-1001`,
      'mdmd[899] <Notice>: Polling MDM server https://mdm.example.com/server for next command',
      'mdmd[899] <Notice>: Transaction completed. Status: 200',
      'mdmd[899] <Notice>: Rejecting MDM push dictionary because it does not have the right magic string',
      'kernel[0] <Notice>: memorystatus: pid 410 [locationd] footprint 2048 KB',
    ][i % 9];
    lines.push(`${ts} iPhone ${said}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The same kind of lines as `log show` writes them. */
function logShowText(): string {
  const lines: string[] = [];
  for (let i = 0; i < 20; i++) {
    const ts = new Date(Date.UTC(2026, 10, 22, 9, 5, i * 3)).toISOString().replace('T', ' ').replace('Z', '000+0000');
    const said = [
      'apsd: (ApplePushService) Connected to courier 12-courier.push.apple.com',
      `apsd: (ApplePushService) Received message for enabled topic ${TOPIC}`,
      'apsd: (ApplePushService) Disconnecting in response to connection failure',
      'mdmd: (ManagedConfiguration) Processing server request: DeviceInformation',
    ][i % 4];
    lines.push(`${ts} 0x1a2b3c   Default     0x0   102    0    ${said}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A minimal ustar archive of regular files. */
function tar(files: [path: string, data: Buffer][]): Buffer {
  const parts: Buffer[] = [];
  const octal = (n: number, width: number) => `${n.toString(8).padStart(width - 1, '0')}\u0000`;
  for (const [path, data] of files) {
    const h = Buffer.alloc(512);
    const cut = path.length > 100 ? path.lastIndexOf('/', path.length - 2) : -1;
    h.write(cut < 0 ? path : path.slice(cut + 1), 0, 100, 'utf8');
    h.write(octal(0o644, 8), 100, 'latin1');
    h.write(octal(0, 8), 108, 'latin1');
    h.write(octal(0, 8), 116, 'latin1');
    h.write(octal(data.length, 12), 124, 'latin1');
    h.write(octal(1_763_800_000, 12), 136, 'latin1');
    h.write('        ', 148, 'latin1');
    h.write('0', 156, 'latin1');
    h.write('ustar\u000000', 257, 'latin1');
    if (cut >= 0) h.write(path.slice(0, cut), 345, 155, 'utf8');
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${octal(sum, 7)} `, 148, 'latin1');
    parts.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

function trainingBundle(): Buffer {
  const noise = Buffer.alloc(256 * 1024);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
  return gzipSync(
    tar([
      [`${ROOT}/logs/MCState/Shared/MDM.plist`, readFileSync(join(EXAMPLE, 'MDM.plist'))],
      [
        `${ROOT}/logs/MCState/Shared/profile-2f7e4c198b3d4a629d056e1f8a7b3c20.stub`,
        readFileSync(join(EXAMPLE, 'profile-2f7e4c198b3d4a629d056e1f8a7b3c20.stub')),
      ],
      [`${ROOT}/logs/Networking/apsd-102.log`, Buffer.from(syslogText())],
      [`${ROOT}/logs/AppSupport/com.apple.mdmd/mdmd-899.log.0`, Buffer.from(logShowText())],
      [`${ROOT}/system_logs.logarchive/Persist/0000000000000001.tracev3`, noise],
    ]),
  );
}

/**
 * Runs the built command (`bin`, dist/cli/pushcheck.js) on the training evidence, writing the code
 * cache of `bundle` beside it. Returns whether the cache was written; without one the command
 * still runs, compiled from source.
 */
export function trainCodeCache(bin: string, bundle: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'pushcheck-build-'));
  rmSync(cacheFileOf(bundle), { force: true });
  try {
    const input = join(dir, `${ROOT}.tar.gz`);
    writeFileSync(input, trainingBundle());
    const server = readFileSync(join(EXAMPLE, 'server-values.txt'), 'utf8');
    for (const args of [
      ['diagnose', input, '--paste', server, '--format', 'json'],
      ['diagnose', input, '--detail', 'full', '--no-color'],
    ]) {
      const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, [WRITE_CACHE_ENV]: '1' }, stdio: 'ignore' });
      if (r.status !== 0) {
        rmSync(cacheFileOf(bundle), { force: true });
        return false;
      }
    }
    return existsSync(cacheFileOf(bundle));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
