import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { hostile } from '../test/hostile/cases.js';

/**
 * The logs of issue 11 whose size used to decide the cost of a case: a
 * NanoMDM server log of half a million NotNow lines (470 MB peak RSS and 29 s
 * before facts were folded), a Secure Mail CtxLog_APNS_Events.csv of
 * 200,000 rows (2.5 GB, then "Invalid string length" writing the JSON), and
 * an app's APNs provider log of 150,000 lines (140 s in the case phase while
 * each accepted push looked over every topic and device receipt).
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

/**
 * An app's APNs provider log (Python logging's layout, the server's clock, no zone) of `lines` lines:
 * several thousand device tokens, most pushes answered 200, one in forty a 410 Unregistered, one in
 * sixty a 400 BadDeviceToken, one in two hundred a 429 TooManyRequests, and one in five hundred failures
 * with a Java stack trace under its record. The case names no device, so every token stays a candidate.
 */
export async function providerLog(dir: string, lines: number): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `provider-${lines}.log`);
  const out = createWriteStream(path);
  await new Promise<void>((resolve, reject) => out.end(providerLogText(lines), (e?: Error | null) => (e ? reject(e) : resolve())));
  return path;
}

/** The text of {@link providerLog}: deterministic (a fixed linear congruential sequence), so runs compare byte for byte. */
export function providerLogText(lines: number): string {
  const tokens = Math.max(8, Math.min(5000, Math.floor(lines / 30)));
  let seed = 0x2545f491;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed;
  };
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
  const token = (i: number) => `${hex(Math.imul(i + 1, 0x9e3779b1) >>> 0, 8)}${hex(i, 8)}`.repeat(4);
  const apnsId = (n: number) => {
    const h = `${hex(n, 8)}${hex(Math.imul(n, 0x85ebca6b) >>> 0, 8)}${hex(Math.imul(n, 0xc2b2ae35) >>> 0, 8)}${hex(n ^ 0x5bd1e995, 8)}`.toUpperCase();
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  const t0 = Date.UTC(2026, 10, 20, 8, 0, 0);
  const stamp = (ms: number) => {
    const d = new Date(t0 + ms);
    return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)},${String(d.getUTCMilliseconds()).padStart(3, '0')}`;
  };
  const out: string[] = [];
  let n = 0;
  while (out.length < lines) {
    n++;
    const r = next();
    const tok = token(r % tokens);
    const at = stamp(n * 137);
    const kind = n % 500 === 0 ? 'trace' : n % 200 === 0 ? '429' : n % 60 === 0 ? '400' : n % 40 === 0 ? '410' : '200';
    const head = `${at} ${kind === '200' ? 'INFO ' : 'ERROR'} [apns] push ${kind === '200' ? 'sent' : 'failed'} to token ${tok} topic=com.example.chat apns-id=${apnsId(n)}`;
    if (kind === '200') out.push(`${head} status=200`);
    else if (kind === '410') out.push(`${head} status=410 {"reason":"Unregistered","timestamp":${1763625600000 + n * 1000}}`);
    else if (kind === '400') out.push(`${head} status=400 {"reason":"BadDeviceToken"}`);
    else if (kind === '429') out.push(`${head} status=429 {"reason":"TooManyRequests"}`);
    else
      out.push(
        head,
        'com.example.push.ApnsRejectedException: status=410 {"reason":"Unregistered"}',
        '\tat com.example.push.ApnsSender.send(ApnsSender.java:88)',
        '\tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)',
        '\t... 2 more',
      );
  }
  return `${out.slice(0, lines).join('\n')}\n`;
}
