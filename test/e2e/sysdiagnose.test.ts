import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tgz } from '../archive/support.js';
import { cli } from '../cli/helpers.js';

// A device as the seed describes it: topic in the profile stub, PushMagic and
// LastPushTokenHash in logs/MCState/Shared/MDM.plist, deep inside a sysdiagnose.
const TOPIC = 'com.apple.mgmt.External.e0bd1eac-1f17-4c8e-8a63-dd17d3dd35d9';
const MAGIC = '5A1C0E2B-77D4-4F1A-9C3E-0D8B61F2A4C7';
const TOKEN = '3f1b9a2c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8';
const HASH = createHash('sha256').update(Buffer.from(TOKEN, 'hex')).digest();

const fixtures = new URL('../fixtures/mdm/', import.meta.url);
const mdmPlist = readFileSync(new URL('MDM.plist', fixtures), 'utf8').replace(
  /(<key>LastPushTokenHash<\/key>\s*<data>)[^<]*(<\/data>)/,
  `$1${HASH.toString('base64')}$2`,
);
const stub = readFileSync(new URL('profile-3f9a1c0e5b7d2e4f6a8b0c1d2e3f4a5b.stub', fixtures));
const ROOT = 'sysdiagnose_2024.03.01_09-20-11-0800_iPhone-OS_iPhone_21D61';
const systemLog = [
  'Timestamp                       Thread     Type        Activity             PID    TTL',
  '2024-03-01 09:00:05.123456-0800 0x1a2b     Default     0x0                  231    0    mdmd: Rejecting MDM push dictionary because it does not have the right magic string.',
  '2024-03-01 09:00:01.000000-0800 0x1a2c     Default     0x0                  98     0    apsd: Connected to courier 12-courier.push.apple.com',
  '',
].join('\n');

const dir = mkdtempSync(join(tmpdir(), 'pushcheck-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sysdiagnose(name: string, log = systemLog): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    tgz([
      { path: `${ROOT}/`, type: 'dir' },
      { path: `${ROOT}/logs/MCState/Shared/MDM.plist`, data: mdmPlist },
      { path: `${ROOT}/logs/MCState/Shared/profile-3f9a1c0e5b7d2e4f6a8b0c1d2e3f4a5b.stub`, data: stub },
      { path: `${ROOT}/system_logs.logarchive/00/0000000000000001.tracev3`, data: Buffer.alloc(64 * 1024, 7) },
      { path: `${ROOT}/logs/mdm/mdmd_excerpt.log`, data: log },
    ]),
  );
  return path;
}

/** What the engineer knows about the failure: APNs answered 200, and when the failures began. */
const FAILING = [
  '--answer',
  'q.mdm.push_soon_after_enrollment=no',
  '--answer',
  'q.mdm.push_status=200',
  '--answer',
  'q.case.failures_began=2024-02-28T10:00:00Z',
];

const json = async (...argv: string[]) => {
  const r = await cli('diagnose', ...argv, '--format', 'json');
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out);
};
interface JsonCause {
  id: string;
  status: string;
  because: string[];
  evidence: { fact: string; value: string; source: string }[];
}
const cause = (report: { causes: JsonCause[] }, id: string) => report.causes.find((c) => c.id === id)!;

describe('a support engineer runs pushcheck on a sysdiagnose and the server values', () => {
  const bundle = sysdiagnose('sysdiagnose.tar.gz');
  const quiet = sysdiagnose(
    'quiet.tar.gz',
    systemLog
      .split('\n')
      .filter((l) => !l.includes('Rejecting'))
      .join('\n'),
  );

  it('confirms a wrong PushMagic with both values and where each came from', async () => {
    const report = await json(bundle, '--topic', TOPIC, '--magic', 'OLD-MAGIC-0000-1111', '--token', TOKEN);
    const c = cause(report, 'mdm.wrong_magic');
    expect(c.status).toBe('confirmed');
    const ev = c.evidence.map((e: { fact: string; value: string; source: string }) => `${e.fact}=${e.value} ← ${e.source}`);
    expect(ev).toContain(`server.push_magic=OLD-MAGIC-0000-1111 ← --magic`);
    expect(ev.some((e: string) => e.startsWith(`device.push_magic=${MAGIC} ← ${bundle} › ${ROOT}/logs/MCState/Shared/MDM.plist`))).toBe(true);
    expect(report.device).toMatchObject({ osBuild: '21D61' });
  });

  it('confirms a wrong topic and a wrong token the same way', async () => {
    const report = await json(bundle, '--topic', 'com.apple.mgmt.External.11111111-2222-4333-8444-555555555555', '--magic', MAGIC, '--token', 'ab'.repeat(32));
    expect(cause(report, 'mdm.wrong_topic').status).toBe('confirmed');
    expect(cause(report, 'mdm.wrong_token').status).toBe('confirmed');
    expect(cause(report, 'mdm.wrong_token').because.join(' ')).toContain(HASH.toString('hex'));
  });

  it('rules topic, token and magic out when they match, and escalates once every cause is ruled out', async () => {
    // The device's own successful poll (MDM.plist, 2024-02-28 17:02) only counts for the network because
    // it came after the failures began; APNs's 200 is answered, the failed push's time is not known.
    const report = await json(quiet, '--topic', TOPIC, '--magic', MAGIC, '--token', TOKEN, ...FAILING);
    for (const id of ['mdm.wrong_topic', 'mdm.wrong_token', 'mdm.wrong_magic']) expect(cause(report, id).status).toBe('ruled_out');
    expect(report.causes.filter((c: { status: string }) => c.status !== 'ruled_out')).toEqual([]);
    expect(report.escalation.feedbackDraft).toContain(TOPIC);
    expect(report.escalation.feedbackDraft).toContain(TOKEN);
    expect(report.escalation.feedbackDraft).toContain(MAGIC);
  });

  it('prints the same bytes whatever order the inputs are given in', async () => {
    const paste = join(dir, 'values.txt');
    writeFileSync(paste, `server topic: ${TOPIC}\nserver magic: OLD-MAGIC-0000-1111\n`);
    const a = await cli('diagnose', bundle, quiet, '--paste-file', paste, '--token', TOKEN, '--format', 'json');
    const b = await cli('diagnose', quiet, '--token', TOKEN, '--paste-file', paste, bundle, '--format', 'json');
    expect(a.code).toBe(0);
    expect(JSON.parse(a.out).causes.length).toBeGreaterThan(0);
    expect(a.out).toBe(b.out);
  });

  it('prints only the Feedback draft with `pushcheck feedback`, and a redacted one for wider channels', async () => {
    const args = [quiet, '--topic', TOPIC, '--magic', MAGIC, '--token', TOKEN, ...FAILING];
    const full = await cli('feedback', ...args);
    expect(full.code).toBe(0);
    expect(full.out).toContain(TOKEN);
    const redacted = await cli('feedback', ...args, '--redact');
    expect(redacted.out).not.toContain(TOKEN);
    expect(redacted.out).toContain(TOKEN.slice(0, 8));
    const report = await cli('diagnose', ...args, '--redact', '--format', 'markdown');
    expect(report.out).not.toContain(TOKEN);
    expect(report.out).not.toContain(MAGIC);
  });

  it('says there is no draft yet while causes are still open', async () => {
    const r = await cli('feedback', bundle, '--magic', 'OLD-MAGIC-0000-1111');
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/not every known cause is ruled out/);
  });

  it('draws the timeline when asked and there are at least two timed events', async () => {
    const png = join(dir, 'timeline.png');
    const r = await cli('diagnose', bundle, '--magic', 'OLD-MAGIC-0000-1111', '--timeline', png);
    expect(r.err).toMatch(/timeline written/);
    expect(readFileSync(png).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    const none = await cli('diagnose', '--magic', 'OLD-MAGIC-0000-1111', '--timeline', join(dir, 'none.png'));
    expect(none.err).toMatch(/fewer than two timed events/);
  });
});
