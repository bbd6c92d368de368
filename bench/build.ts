import { createCipheriv, createHash } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync, renameSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { fileURLToPath } from 'node:url';
// The same minimal ustar writer the archive tests use.
import { tarHeader } from '../test/archive/support.js';

/**
 * Builds a sysdiagnose-like .tar.gz deterministically: thousands of text
 * logs, a large mostly incompressible system_logs.logarchive (tracev3 data is
 * compressed already), MDM.plist and profile stubs deep in the tree. The file
 * is cached in os.tmpdir() under a hash of this generator and its settings.
 */
export const ROOT = 'sysdiagnose_2024.03.01_10-22-33-0800_iPhone-OS_iPhone_21E236';

/** Deterministic bytes: AES-CTR over zeros with a fixed key (fast, seeded, no Math.random). */
class Prng {
  private readonly cipher;
  private pool: Buffer = Buffer.alloc(0);
  private pos = 0;
  constructor(seed: string) {
    const key = createHash('sha256').update(seed).digest();
    this.cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  }
  bytes(n: number): Buffer {
    return this.cipher.update(Buffer.alloc(n));
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (this.pos + 4 > this.pool.length) {
      this.pool = this.bytes(64 * 1024);
      this.pos = 0;
    }
    const v = this.pool.readUInt32LE(this.pos);
    this.pos += 4;
    return v % n;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

const PROCS = ['locationd', 'SpringBoard', 'kernel', 'wifid', 'backboardd', 'runningboardd', 'mobileassetd', 'symptomsd', 'dasd', 'nsurlsessiond'];
/** Lines of the push path: rare in a real sysdiagnose's text logs, commoner in mdmd's own folder. */
const PUSH_LINES: [string, string][] = [
  ['apsd', 'Connected to courier %h-courier.push.apple.com'],
  ['apsd', 'Received message for enabled topic com.apple.mgmt.External.%u'],
  ['mdmd', 'Rejecting MDM push dictionary because it does not have the right magic string'],
  ['apsd', 'Disconnecting in response to connection failure'],
];
const MSGS = [
  'Process %d state changed: running -> suspended',
  'Assertion %u acquired for pid %d',
  'Scan results: %d networks, best RSSI -%d',
  'Evaluating policy %u: allowed',
  'Task <%u>.<%d> finished with status %d',
  'Memory pressure level changed to normal',
];

function logText(rng: Prng, bytes: number, t0: number, pushEvery: number): string {
  const out: string[] = [];
  let n = 0;
  let t = t0;
  while (n < bytes) {
    t += rng.int(3000);
    const ts = new Date(t).toISOString().replace('T', ' ').replace('Z', '000-0800');
    const push = rng.int(pushEvery) === 0 ? rng.pick(PUSH_LINES) : undefined;
    const proc = push ? push[0] : rng.pick(PROCS);
    const msg = (push ? push[1] : rng.pick(MSGS))
      .replace(/%h/g, () => String(rng.int(50)))
      .replace(/%u/g, () => rng.bytes(8).toString('hex').toUpperCase())
      .replace(/%d/g, () => String(rng.int(99999)));
    const line = `${ts} 0x${rng.int(0xfffff).toString(16)}   Default     0x0   ${rng.int(2000)}    0    ${proc}: (${push ? 'ManagedConfiguration' : 'CoreFoundation'}) ${msg}`;
    out.push(line);
    n += line.length + 1;
  }
  return `${out.join('\n')}\n`;
}

/** Mostly random (tracev3 chunks are compressed), with some structure so it is not pure noise. */
function binary(rng: Prng, bytes: number): Buffer {
  const b = rng.bytes(bytes);
  for (let off = 0; off + 4096 <= bytes; off += 4096 * (8 + rng.int(8))) b.fill(off & 0xff, off, off + 512 + rng.int(3000));
  return b;
}

const PLIST = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
${body}</dict>
</plist>
`;

const MDM_PLIST = PLIST(`\t<key>AccessRights</key>
\t<integer>8191</integer>
\t<key>CheckInURL</key>
\t<string>https://mdm.example.com/mdm/checkin</string>
\t<key>CheckOutWhenRemoved</key>
\t<true/>
\t<key>LastPollingAttempt</key>
\t<date>2024-03-01T17:40:12Z</date>
\t<key>LastPushTokenHash</key>
\t<data>
\tq5TqC8T7nqg2gY1v2mXy0bE2sPpQ0s7GZ7n8b3m0g0E=
\t</data>
\t<key>PushMagic</key>
\t<string>6F1A2C3E-4B5D-4E6F-8A9B-0C1D2E3F4A5B</string>
\t<key>ServerURL</key>
\t<string>https://mdm.example.com/mdm/connect</string>
\t<key>Topic</key>
\t<string>com.apple.mgmt.External.4f2c6a7e-1b3d-4c5e-9f80-a1b2c3d4e5f6</string>
`);

const STUB = (uuid: string, mdm: boolean) =>
  PLIST(`\t<key>InstallDate</key>
\t<date>2024-01-15T09:12:44Z</date>
\t<key>PayloadContent</key>
\t<array>
\t\t<dict>
\t\t\t<key>PayloadType</key>
\t\t\t<string>${mdm ? 'com.apple.mdm' : 'com.apple.wifi.managed'}</string>
\t\t\t<key>PayloadUUID</key>
\t\t\t<string>${uuid}</string>
${mdm ? '\t\t\t<key>Topic</key>\n\t\t\t<string>com.apple.mgmt.External.4f2c6a7e-1b3d-4c5e-9f80-a1b2c3d4e5f6</string>\n\t\t\t<key>ServerURL</key>\n\t\t\t<string>https://mdm.example.com/mdm/connect</string>\n' : ''}\t\t</dict>
\t</array>
\t<key>PayloadIdentifier</key>
\t<string>com.example.profile.${uuid}</string>
`);

export interface BuildResult {
  path: string;
  bytes: number;
  members: number;
  textBytes: number;
  binaryBytes: number;
  cached: boolean;
}

export async function buildArchive(targetMb: number): Promise<BuildResult> {
  const self = readFileSync(fileURLToPath(import.meta.url));
  const hash = createHash('sha256').update(self).update(`mb=${targetMb}`).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), 'pushcheck-bench');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${ROOT}-${targetMb}mb-${hash}.tar.gz`);
  const metaPath = `${path}.json`;
  if (existsSync(path) && existsSync(metaPath)) return { ...JSON.parse(readFileSync(metaPath, 'utf8')), cached: true };

  const rng = new Prng(`pushcheck-bench-${targetMb}`);
  const tmp = `${path}.partial`;
  const gz = createGzip({ level: 6, chunkSize: 1 << 20 });
  const file = createWriteStream(tmp);
  gz.pipe(file);
  let members = 0;
  let textBytes = 0;
  let binaryBytes = 0;
  const put = async (b: Buffer) => {
    if (!gz.write(b)) await once(gz, 'drain');
  };
  const addFile = async (rel: string, data: Buffer) => {
    members++;
    await put(tarHeader({ path: `${ROOT}/${rel}`, size: data.length, type: '0' }));
    await put(data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad) await put(Buffer.alloc(pad));
  };
  const addDir = async (rel: string) => {
    members++;
    await put(tarHeader({ path: `${ROOT}/${rel}/`, size: 0, type: '5' }));
  };

  const t0 = Date.UTC(2024, 1, 28);
  // Budget: most of the compressed size is the logarchive, the rest text that compresses ~6x.
  const binaryTarget = Math.round(targetMb * 0.86 * 1024 * 1024);
  const textTarget = Math.round(targetMb * 0.45 * 1024 * 1024);
  await addDir('');
  const textDirs = [
    'logs/CoreCapture',
    'logs/MobileInstallation',
    'logs/Networking',
    'logs/powerlogs',
    'logs/AppSupport/com.apple.mdmd',
    'WiFi',
    'logs/awdd',
    'crashes_and_spins',
    'logs/SystemConfiguration',
  ];
  for (const d of textDirs) await addDir(d);
  let i = 0;
  while (textBytes < textTarget) {
    const d = textDirs[i % textDirs.length]!;
    // Mostly small logs, some large ones, like a real sysdiagnose.
    const size = rng.int(30) === 0 ? 200_000 + rng.int(1_500_000) : 2_000 + rng.int(60_000);
    const data = Buffer.from(logText(rng, size, t0 + i * 1000, d.includes('mdmd') ? 200 : 20_000));
    await addFile(`${d}/${d.split('/').pop()}-${String(i).padStart(5, '0')}.${i % 7 === 0 ? 'txt' : 'log'}`, data);
    textBytes += data.length;
    i++;
  }
  await addDir('logs/MCState');
  await addDir('logs/MCState/Shared');
  await addFile('logs/MCState/Shared/MDM.plist', Buffer.from(MDM_PLIST));
  for (let s = 0; s < 4; s++) {
    const uuid = rng
      .bytes(16)
      .toString('hex')
      .toUpperCase()
      .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
    await addFile(`logs/MCState/Shared/profile-${rng.bytes(20).toString('hex')}.stub`, Buffer.from(STUB(uuid, s === 2)));
  }
  await addDir('system_logs.logarchive');
  await addFile('system_logs.logarchive/Info.plist', Buffer.from(PLIST('\t<key>OSArchiveVersion</key>\n\t<integer>5</integer>\n')));
  for (const sub of ['Persist', 'Special', 'Signpost']) await addDir(`system_logs.logarchive/${sub}`);
  let c = 0;
  while (binaryBytes < binaryTarget) {
    const big = c % 4 !== 3;
    const size = big ? 10_485_760 + rng.int(1 << 20) : 4_096 + rng.int(400_000);
    const where = big ? ['Persist', 'Special', 'Signpost'][c % 3] : rng.int(256).toString(16).toUpperCase().padStart(2, '0');
    await addFile(`system_logs.logarchive/${where}/${String(c).padStart(16, '0')}.tracev3`, binary(rng, size));
    binaryBytes += size;
    c++;
  }
  await put(Buffer.alloc(1024));
  gz.end();
  await once(file, 'finish');
  const { statSync } = await import('node:fs');
  renameSync(tmp, path);
  const result = { path, bytes: statSync(path).size, members, textBytes, binaryBytes };
  const { writeFileSync } = await import('node:fs');
  writeFileSync(metaPath, JSON.stringify(result));
  return { ...result, cached: false };
}
