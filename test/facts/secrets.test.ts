import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { secretKindOf, showSecret, type Audience, type SecretKind } from '../../src/facts/secrets.js';
import { scrub } from '../../src/log.js';
import { reportFor, redactText, secretsOf } from '../../src/report/render/audience.js';
import type { Report } from '../../src/report/types.js';
import { tokenRef } from '../../src/evidence/securemail/apnsEvents.js';

/**
 * Troubleshooting step: "share what you found". Who reads decides how much
 * of a token, PushMagic, UDID or serial they see, and one function decides
 * it for every path.
 */
const TOKEN = 'c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeeabcd';
const MAGIC = '5A1C0E2B-77D4-4F1A-9C3E-0D8B61F2A4C7';
const UDID = '00008110-000A1C2E3F40801E';
const SERIAL = 'F2LXK0Q3N72J';

describe('one secrets policy, by audience', () => {
  const table: [Audience, SecretKind, string, string][] = [
    ['diagnosing', 'token', TOKEN, TOKEN],
    ['apple', 'token', TOKEN, TOKEN],
    ['shared', 'token', TOKEN, 'c0ffeec0…abcd'],
    ['channel', 'token', TOKEN, 'c0ff…abcd'],
    ['log', 'token', TOKEN, '[redacted]'],
    ['reference', 'token', TOKEN, '…abcd'],
    ['shared', 'magic', MAGIC, '5A1C…C7'],
    ['channel', 'magic', MAGIC, '5A1C…A4C7'],
    ['shared', 'udid', UDID, '00008110…801E'],
    ['channel', 'udid', UDID, '0000…801E'],
    ['shared', 'serial', SERIAL, '(serial hidden)'],
    ['channel', 'serial', SERIAL, '••••'],
    ['log', 'serial', SERIAL, '[redacted]'],
  ];
  it.each(table)('%s sees a %s as expected', (audience, kind, value, shown) => {
    expect(showSecret(value, kind, audience)).toBe(shown);
  });

  it('the kind of a fact comes from the catalog (secret or not) and its name', () => {
    expect(secretKindOf('server.push_token')).toBe('token');
    expect(secretKindOf('device.push_magic')).toBe('magic');
    expect(secretKindOf('device.udid')).toBe('udid');
    expect(secretKindOf('device.serial')).toBe('serial');
    expect(secretKindOf('server.topic')).toBeUndefined();
  });
});

describe('every path shows a secret through the policy', () => {
  const source = { kind: 'file' as const, input: 'MDM.plist' };
  const report: Report = {
    schemaVersion: 1,
    domains: ['mdm'],
    headline: `Found: the server pushes to ${TOKEN}.`,
    device: {},
    notes: [],
    causes: [],
    questions: [],
    escalation: null,
    problems: [],
    conflicts: [],
    facts: [
      { fact: 'server.push_token', value: TOKEN, source: 'MDM.plist', origin: source, secret: true },
      { fact: 'mdm.checkin.authenticate', value: true, source: 'MDM.plist', origin: source, attrs: { udid: UDID } },
    ],
    timeline: [],
  };

  it('the channel (Slack) and the shared copy (--redact) show the same token their own way', () => {
    const channel = reportFor(report, 'channel');
    expect(channel.facts[0]!.value).toBe('c0ff…abcd');
    expect(channel.headline).toBe('Found: the server pushes to c0ff…abcd.');
    // A UDID in an attribute is a device identity too.
    expect(channel.facts[1]!.attrs).toEqual({ udid: '0000…801E' });
    expect(redactText(`token ${TOKEN}, device ${UDID}`, secretsOf(report))).toBe('token c0ffeec0…abcd, device 00008110…801E');
  });

  it('the person diagnosing and Apple see the report as it is', () => {
    expect(reportFor(report, 'diagnosing')).toBe(report);
    expect(reportFor(report, 'apple')).toBe(report);
  });

  it('a log line and a cited Secure Mail listener token go through it too', () => {
    expect(scrub(`pushing to ${TOKEN}`)).toBe('pushing to [redacted]');
    expect(tokenRef(TOKEN)).toBe('…abcd');
  });

  it('no other module in src/ shows a value as "…" and its last characters with its own slicing', () => {
    const src = fileURLToPath(new URL('../../src/', import.meta.url));
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : n.endsWith('.ts') ? [join(dir, n)] : []));
    const own = /…\$\{[^}]*\.slice\(-\d+\)\}/;
    const offenders = files(src)
      .map((f) => relative(src, f))
      .filter((f) => f !== 'facts/secrets.ts' && own.test(readFileSync(join(src, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
