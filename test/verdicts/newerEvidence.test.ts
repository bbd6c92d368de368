import { describe, expect, it } from 'vitest';
import {
  cause,
  heldRules,
  diagnose,
  facts,
  file,
  logShow,
  MAGIC,
  nanoIdle,
  nanoLib,
  nanoPush,
  nanoTokenUpdate,
  note,
  OLD_MAGIC,
  REJECTED,
  sysdiagnose,
  TOKEN,
  TOPIC,
  UDID_A,
} from './evidence.js';

/**
 * Issue 8 item 3: newer evidence supersedes older. A cause confirmed by old
 * lines is judged again by what came after; and evidence from before the
 * failing push never rules out the cause of that failure.
 */

// mdmd, exported with `log show` on the Mac the iPhone was attached to (Berlin, +0100): three pushes
// rejected for their magic on 4 March.
const rejections = file(
  'mdmd-rejections.log',
  logShow([
    ['2024-03-04 10:00:05.118204+0100', 'mdmd', REJECTED],
    ['2024-03-04 12:00:07.530911+0100', 'mdmd', REJECTED],
    ['2024-03-04 15:00:04.002716+0100', 'mdmd', REJECTED],
  ]),
);
const FIRST_REJECTION = '2024-03-04T09:00:05.118Z';

/** The server's side of 4 March: three pushes with the old magic, none answered. */
const march4 = [
  ...nanoPush(nanoLib, '2024-03-04T09:00:05', UDID_A),
  ...nanoPush(nanoLib, '2024-03-04T11:00:07', UDID_A),
  ...nanoPush(nanoLib, '2024-03-04T14:00:04', UDID_A),
];

describe('wrong PushMagic healed by the 25-hour re-check', () => {
  // On 5 March, 25 h after the first rejection, one more push: the device sends a TokenUpdate (its
  // PushMagic goes to the server), polls, and answers the next push too. The server's record now holds
  // the device's magic (pasted below, as the admin reads it from the server).
  const server = file(
    'nanomdm-healed.log',
    `${[
      ...march4,
      ...nanoPush(nanoLib, '2024-03-05T10:05:00', UDID_A),
      ...nanoTokenUpdate(nanoLib, '2024-03-05T10:05:01', UDID_A),
      ...nanoIdle(nanoLib, '2024-03-05T10:05:02', UDID_A),
      ...nanoPush(nanoLib, '2024-03-05T10:30:00', UDID_A),
      ...nanoIdle(nanoLib, '2024-03-05T10:30:01', UDID_A),
      nanoLib('2024-03-05T10:45:00', `level=info service=push msg=retrieved push cert topic=${TOPIC}`),
    ].join('\n')}\n`,
  );
  const bundle = sysdiagnose({ taken: '2024.03.05_11-00-00+0100', magic: MAGIC, lastPollingSuccess: '2024-03-05T10:30:01Z' });

  it('says "was wrong, healed" with the times, not "confirmed"', async () => {
    const r = await diagnose(bundle, rejections, server, '--topic', TOPIC, '--magic', MAGIC, '--token', TOKEN);
    const c = cause(r, 'mdm.wrong_magic')!;
    expect(c.status).toBe('ruled_out');
    expect(heldRules(c)).toContain('mdm.wrong_magic.healed');
    expect(heldRules(c)).not.toContain('mdm.wrong_magic.log_rejection');
    const why = c.because.join(' ');
    expect(why).toContain(
      `it has healed itself: the first wrong-magic push was rejected at ${FIRST_REJECTION}; 25 h 5 min later, at 2024-03-05T10:05:01.000Z, a TokenUpdate gave the server the device's PushMagic (the 25-hour re-check), and the push of 2024-03-05T10:30:00.000Z was answered`,
    );
    expect(note(r, 'mdm.note.wrong_magic_healed')?.text).toMatch(/^The server's PushMagic was wrong, and that has healed: the first wrong-magic push/);
    expect(note(r, 'mdm.note.magic_recheck_from')).toBeUndefined();
    expect(r.headline).not.toMatch(/Found: .*PushMagic/);
  });

  it('without a TokenUpdate giving the server that magic, the rejections still confirm it', async () => {
    // The server still pushes with the old magic: the re-check happened, but its TokenUpdate was not kept.
    const r = await diagnose(bundle, rejections, server, '--topic', TOPIC, '--magic', OLD_MAGIC, '--token', TOKEN);
    expect(cause(r, 'mdm.wrong_magic')?.status).toBe('confirmed');
    expect(facts(r, 'mdm.wrong_magic_healed')).toEqual([]);
  });
});

describe('wrong PushMagic still inside the 25 hours', () => {
  const server = file(
    'nanomdm-march4.log',
    `${[...march4, nanoLib('2024-03-04T20:00:00', `level=info service=push msg=retrieved push cert topic=${TOPIC}`)].join('\n')}\n`,
  );
  const bundle = sysdiagnose({ taken: '2024.03.04_21-00-00+0100', magic: MAGIC });

  it('says from when one more push makes the device re-check: the first rejection + 25 h', async () => {
    const r = await diagnose(bundle, rejections, server, '--topic', TOPIC, '--magic', OLD_MAGIC, '--token', TOKEN);
    const c = cause(r, 'mdm.wrong_magic')!;
    expect(c.status).toBe('confirmed');
    expect(heldRules(c)).toContain('mdm.wrong_magic.recheck_pending');
    expect(c.nextSteps.join(' ')).toContain('Push again at or after 2024-03-05T10:00:05.118Z');
    expect(note(r, 'mdm.note.magic_recheck_from')?.text).toContain('at or after 2024-03-05T10:00:05.118Z');
  });

  it('a push the device answered in between clears its note: the 25 hours count from the next rejection', async () => {
    const withReset = file(
      'nanomdm-reset.log',
      `${[
        ...nanoPush(nanoLib, '2024-03-04T09:00:05', UDID_A),
        ...nanoPush(nanoLib, '2024-03-04T11:00:07', UDID_A),
        // The other record's push, with the right magic: answered.
        ...nanoPush(nanoLib, '2024-03-04T12:30:00', UDID_A),
        ...nanoIdle(nanoLib, '2024-03-04T12:30:01', UDID_A),
        ...nanoPush(nanoLib, '2024-03-04T14:00:04', UDID_A),
        nanoLib('2024-03-04T20:00:00', `level=info service=push msg=retrieved push cert topic=${TOPIC}`),
      ].join('\n')}\n`,
    );
    const r = await diagnose(bundle, rejections, withReset, '--topic', TOPIC, '--magic', OLD_MAGIC);
    expect(facts(r, 'mdm.magic_recheck_from').map((f) => f.value)).toEqual(['2024-03-05T15:00:04.002Z']);
  });

  it("the device's own note in MDM.plist (PushMagicMismatchDateMarker) is the time it counts from", async () => {
    const marked = sysdiagnose({ taken: '2024.03.04_21-00-00+0100', magic: MAGIC, mismatchMarker: '2024-03-04T09:00:05Z' });
    const r = await diagnose(marked, server, '--topic', TOPIC, '--magic', OLD_MAGIC);
    expect(facts(r, 'mdm.magic_recheck_from').map((f) => f.value)).toEqual(['2024-03-05T10:00:05.000Z']);
    expect(cause(r, 'mdm.wrong_magic')?.nextSteps.join(' ')).toContain('2024-03-05T10:00:05.000Z');
  });
});

describe('evidence from before the failing push rules nothing out', () => {
  // Values all match; the server's push of 6 May 09:00 went unanswered.
  const failing = [
    ...nanoPush(nanoLib, '2024-05-06T09:00:00', UDID_A),
    nanoLib('2024-05-06T09:30:00', `level=info service=push msg=retrieved push cert topic=${TOPIC}`),
  ];
  const args = ['--topic', TOPIC, '--magic', MAGIC, '--token', TOKEN];

  it("MDM.plist's LastPollingSuccess from the day before does not show the network works now", async () => {
    const bundle = sysdiagnose({ taken: '2024.05.06_10-00-00+0000', lastPollingSuccess: '2024-05-05T18:20:11Z' });
    const r = await diagnose(bundle, file('nanomdm-may.log', `${failing.join('\n')}\n`), ...args);
    expect(cause(r, 'mdm.network')?.status).not.toBe('ruled_out');
    expect(heldRules(cause(r, 'mdm.network'))).not.toContain('mdm.network.device_talks');
  });

  it('the same poll after the failed push does', async () => {
    const bundle = sysdiagnose({ taken: '2024.05.06_10-00-00+0000', lastPollingSuccess: '2024-05-06T09:40:00Z' });
    const r = await diagnose(bundle, file('nanomdm-may.log', `${failing.join('\n')}\n`), ...args, '--answer', 'q.mdm.network_ok=yes');
    expect(cause(r, 'mdm.network')?.status).toBe('ruled_out');
    expect(heldRules(cause(r, 'mdm.network'))).toContain('mdm.network.device_talks');
  });

  it('an older answered push does not rule out the causes of a later unanswered one', async () => {
    const log = file(
      'nanomdm-older.log',
      `${[...nanoPush(nanoLib, '2024-05-05T09:00:00', UDID_A), ...nanoIdle(nanoLib, '2024-05-05T09:00:01', UDID_A), ...failing].join('\n')}\n`,
    );
    const r = await diagnose(log, ...args);
    expect(facts(r, 'server.push_answered').map((f) => [f.value, f.at])).toEqual([[false, '2024-05-06T09:00:00.000Z']]);
    for (const id of ['mdm.network', 'mdm.unenrolled', 'mdm.wiped', 'mdm.wrong_topic', 'mdm.wrong_token', 'mdm.wrong_magic'])
      expect(heldRules(cause(r, id))).not.toContain(`${id}.push_answered`);
    expect(note(r, 'mdm.note.push_answered')).toBeUndefined();
  });
});
