import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { file, MAGIC, mdmPushCert, nanoIdle, nanoLib, nanoPush, OLD_MAGIC, sysdiagnose, TOKEN, TOPIC, UDID_A, UDID_B, webhookTokenUpdate } from './evidence.js';

/**
 * Every known cause is ruled out for the named iPhone, and the Feedback draft goes to Apple with "the values
 * used for the failing pushes". Those are the values the rules judged for that device: not the PushMagic and
 * token of another device whose TokenUpdate was attached beside it, nor the PushMagic of an older enrollment
 * that a newer TokenUpdate of the same device replaced.
 */

const MAC_UDID = '5D3F1A2B-8C4E-5F60-9A7B-1C2D3E4F5A6B';
const MAC_MAGIC = 'B81F4C62-0D7E-4A93-8E15-62C3F9A7D0E4';
const macTokenUpdate = fileURLToPath(new URL('../fixtures/mdm/server/TokenUpdate_Mac.plist', import.meta.url));

/** NanoLIB (UTC): pushes to A at 09:00 and 09:15 that it never answers; B answers its own. */
const serverLog = () =>
  file(
    'nanomdm.log',
    `${[
      ...nanoPush(nanoLib, '2026-11-30T09:00:00', UDID_A),
      ...nanoPush(nanoLib, '2026-11-30T09:00:00', UDID_B),
      ...nanoIdle(nanoLib, '2026-11-30T09:00:01', UDID_B),
      ...nanoPush(nanoLib, '2026-11-30T09:15:00', UDID_A),
      ...nanoIdle(nanoLib, '2026-11-30T09:30:00', UDID_B),
    ].join('\n')}\n`,
  );

const checked = [
  '--now',
  '2026-11-30T10:30:00Z',
  '--answer',
  `q.case.device=${UDID_A}`,
  '--answer',
  'q.mdm.network_ok=yes',
  '--answer',
  'q.mdm.server_reachable=yes',
];

const device = () =>
  sysdiagnose({
    taken: '2026.11.30_10-20-00+0100',
    logging: [
      { kind: 'ManagedConfiguration', installed: '2026-11-29T17:00:00Z' },
      { kind: 'APNS', installed: '2026-11-29T17:01:00Z' },
    ],
  });

async function draft(...argv: string[]): Promise<string> {
  const r = await cli('feedback', ...argv);
  expect(r.code, r.err).toBe(0);
  return r.out;
}

describe("the Feedback draft's values are the case device's current ones", () => {
  it("leaves out another device's TokenUpdate (its UDID, PushMagic and token)", async () => {
    const out = await draft(
      device(),
      mdmPushCert('2026-01-20T10:00:00Z', '2027-01-19T10:00:00Z'),
      serverLog(),
      macTokenUpdate,
      '--topic',
      TOPIC,
      '--magic',
      MAGIC,
      '--token',
      TOKEN,
      ...checked,
    );
    expect(out).toContain(`PushMagic: ${MAGIC}\n`);
    expect(out).toContain(`Push token: ${TOKEN}\n`);
    expect(out).toContain(`UDID: ${UDID_A}\n`);
    expect(out).not.toContain(MAC_MAGIC);
    expect(out).not.toContain(MAC_UDID);
  });

  it('leaves out the PushMagic of an older enrollment that a newer TokenUpdate of the same device replaced', async () => {
    const out = await draft(
      device(),
      mdmPushCert('2026-01-20T10:00:00Z', '2027-01-19T10:00:00Z'),
      serverLog(),
      webhookTokenUpdate({ udid: UDID_A, createdAt: '2026-11-30T07:00:00Z', magic: OLD_MAGIC, tally: 1 }),
      webhookTokenUpdate({ udid: UDID_A, createdAt: '2026-11-30T08:30:00Z', tally: 2 }),
      '--topic',
      TOPIC,
      ...checked,
    );
    expect(out).toContain(`PushMagic: ${MAGIC}\n`);
    expect(out).not.toContain(OLD_MAGIC);
  });
});
