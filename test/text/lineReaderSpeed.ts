/**
 * How fast the device log reader scans: builds a deterministic ~200 MB
 * `log show` default-style log in the temp folder (about 1 line in 200 from
 * mdmd / apsd / mdmclient), streams it in 1 MiB chunks through feedLines,
 * and prints MB/s with a no-op sink (the cost of decoding and splitting)
 * and with the reader, in CPU seconds of this process. Not a test: run `npx tsx test/text/lineReaderSpeed.ts [MB]`.
 */
import { createReadStream, createWriteStream, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { feedLines } from '../../src/evidence/dispatch.js';
import { deviceLogReader } from '../../src/evidence/text/deviceLog.js';
import { DEFAULT_LIMITS, type LineSink } from '../../src/evidence/types.js';

const targetMb = Number(process.argv[2] ?? 200);
const path = join(tmpdir(), `pushcheck-linespeed-${targetMb}mb.log`);

const NOISE = [
  'kernel: (AppleACPIPlatform) [com.apple.kernel:power] PMRD: System Wake, reason: EC.LidOpen (User)',
  'WindowServer: (SkyLight) [com.apple.SkyLight:default] <CGXDisplayDevice: 0x7fae> Display 1 set to mode 2560x1600@60Hz',
  'bluetoothd: [com.apple.bluetooth:Server] Device connected, handle 0x0b, reason: remote host terminated the connection',
  'runningboardd: (RunningBoard) [com.apple.runningboard:assertion] Acquiring assertion targeting [app<application.com.example.Reader.1234>:812] from originator [daemon<com.apple.cloudd>:441]',
  'locationd: [com.apple.locationd.Core:Client] {"msg":"client authorization status", "Client":"com.example.maps", "status":"authorized when in use"}',
];
const SIGNAL = [
  "apsd: [com.apple.apsd:courier] <APSCourier: 0x7f8b production>: Received message for enabled topic 'com.apple.mgmt.External.3f1c9a2e-6b7d-4e21-9c0a-5d8e7f6a4b31' onInterface: NonCellular with payload '{}' with priority 10",
  'mdmd: (ManagedConfiguration) [com.apple.ManagedClient:MDMDaemon] Rejecting MDM push dictionary because it does not have the right magic string.',
  "mdmclient: [com.apple.ManagedClient:MDMDaemon] [0:MDMDaemon:<0x3c1f>] Received HTTP response (200) [Acknowledged(DeviceInformation):'0F6C2A31-91B4-4A52-8D3B-6E1C5A7B9D20']",
  'apsd: (PersistentConnection) [com.apple.apsd:connection] <APSCourierConnection: 0x2>: Disconnecting in response to connection failure',
];

async function build(): Promise<void> {
  const out = createWriteStream(path);
  const header = 'Timestamp                       Thread     Type        Activity             PID    TTL\n';
  out.write(header);
  let bytes = header.length;
  let i = 0;
  const limit = targetMb * 1024 * 1024;
  let batch: string[] = [];
  while (bytes < limit) {
    const s = i % 86_400;
    const time = `2024-03-04 ${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}.${String(i % 1_000_000).padStart(6, '0')}+0100`;
    const body = i % 200 === 7 ? SIGNAL[((i / 200) % SIGNAL.length) | 0] : NOISE[i % NOISE.length];
    const line = `${time} 0x${(i % 0xffff).toString(16).padEnd(6)} Default     0x0                  ${100 + (i % 900)}    0    ${body}\n`;
    batch.push(line);
    bytes += line.length;
    i++;
    if (batch.length === 10_000) {
      if (!out.write(batch.join(''))) await new Promise<void>((r) => out.once('drain', () => r()));
      batch = [];
    }
  }
  out.write(batch.join(''));
  await new Promise<void>((r) => out.end(() => r()));
}

async function scan(makeSinks: () => LineSink[]): Promise<{ seconds: number; sinks: LineSink[] }> {
  const sinks = makeSinks();
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let lineNo = 1;
  // CPU time, not wall time: the machine is shared, and waiting for other processes is not our cost.
  const start = process.cpuUsage();
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    const text = carry + decoder.write(chunk as Buffer);
    const cut = text.lastIndexOf('\n');
    if (cut < 0) {
      carry = text;
      continue;
    }
    carry = text.slice(cut + 1);
    lineNo = feedLines(text.slice(0, cut), sinks, DEFAULT_LIMITS.maxLineLength, lineNo);
  }
  if (carry) feedLines(carry, sinks, DEFAULT_LIMITS.maxLineLength, lineNo);
  const used = process.cpuUsage(start);
  return { seconds: (used.user + used.system) / 1e6, sinks };
}

await build();
const mb = statSync(path).size / (1024 * 1024);
const ctx = { limits: { ...DEFAULT_LIMITS, maxLogBytes: Number.MAX_SAFE_INTEGER } };
const noop = await scan(() => [{ line() {}, end: () => ({ facts: [], problems: [] }) }]);
const reader = await scan(() => [deviceLogReader.open({ input: path }, ctx)]);
const res = reader.sinks[0].end();
const mdmLines = res.facts.find((f) => f.name === 'device.log.mdm_lines')?.value;
const readerOnly = reader.seconds - noop.seconds;
console.log(`log: ${mb.toFixed(1)} MB at ${path}`);
console.log(`decode + split only (no-op sink): ${noop.seconds.toFixed(2)} s, ${(mb / noop.seconds).toFixed(0)} MB/s`);
console.log(`decode + split + device log reader: ${reader.seconds.toFixed(2)} s, ${(mb / reader.seconds).toFixed(0)} MB/s`);
console.log(`device log reader alone (difference): ${readerOnly > 0 ? (mb / readerOnly).toFixed(0) : '∞'} MB/s`);
console.log(`push-path lines counted: ${mdmLines}; facts kept: ${res.facts.length}; notes: ${res.problems.map((p) => p.code).join(', ')}`);
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
rmSync(path);
