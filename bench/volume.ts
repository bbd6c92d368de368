import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { hostile } from '../test/hostile/cases.js';

/**
 * The two logs of issue 11 whose size used to decide the cost of a case: a
 * NanoMDM server log of half a million NotNow lines (470 MB peak RSS and 29 s
 * before facts were folded) and a Secure Mail CtxLog_APNS_Events.csv of
 * 200,000 rows (2.5 GB, then "Invalid string length" writing the JSON).
 * Written at bench time into the OS temp dir, never committed.
 */

const UDIDS = ['00008110-001A2C3E4F50801E', '00008101-000D3A5C7E90401E'];
const TOPIC = 'com.apple.mgmt.External.6c2f4e1a-8b3d-4a5e-9f70-1d2c3b4a5e6f';

/**
 * A NanoMDM log (NanoLIB logfmt, UTC) of a server whose two devices answer
 * NotNow to every queued command, line after line, with a push sent every
 * thousand lines (so the push-answered derivation sees every one of them).
 */
export async function notNowServerLog(dir: string, notNowLines: number): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `nanomdm-${notNowLines}-notnow.log`);
  const out = createWriteStream(path);
  const t0 = Date.UTC(2024, 2, 4, 6, 0, 0);
  const stamp = (s: number) => `ts=${new Date(t0 + s * 1000).toISOString().slice(0, 19)}Z`;
  let chunk: string[] = [];
  const flush = async () => {
    if (!out.write(`${chunk.join('\n')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
    chunk = [];
  };
  for (let i = 0; i < notNowLines; i++) {
    const udid = UDIDS[i % 2]!;
    if (i % 1000 === 0) {
      chunk.push(`${stamp(i)} level=info handler=log addr=127.0.0.1 method=GET path=/v1/push/${udid} agent=curl/8.4.0`);
      chunk.push(`${stamp(i)} level=info service=push msg=retrieved push cert topic=${TOPIC}`);
      chunk.push(`${stamp(i)} level=debug handler=push msg=push count=1 errs=0`);
    }
    const cmd = `6a1b2c3d-4e5f-4a6b-8c7d-${String(i % 5000).padStart(12, '0')}`;
    chunk.push(`${stamp(i + 1)} level=info service=nanomdm status=NotNow id=${udid} type=Device command_uuid=${cmd}`);
    if (chunk.length >= 10_000) await flush();
  }
  await flush();
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return path;
}

/** A Secure Mail APNs events table of `rows` rows (one in seven a failed registration), as a bundle holds it. */
export async function apnsEventsTable(dir: string, rows: number): Promise<string> {
  const sub = join(dir, `securemail-${rows}`);
  mkdirSync(sub, { recursive: true });
  const path = join(sub, 'CtxLog_APNS_Events.csv');
  const out = createWriteStream(path);
  await new Promise<void>((resolve, reject) => out.end(hostile.apnsEventsCsv(rows), (e?: Error | null) => (e ? reject(e) : resolve())));
  return path;
}
