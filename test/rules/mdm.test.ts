import { describe, expect, it } from 'vitest';
import type { Answer } from '../../src/engine/answers.js';
import type { Fact } from '../../src/facts/schema.js';
import { device, heldRules, run, server, statusOf } from './helpers.js';

const TOPIC = 'com.apple.mgmt.External.2a3c1d2e-9f10-4b5c-8d7e-0a1b2c3d4e5f';
const OTHER_TOPIC = 'com.apple.mgmt.External.99999999-0000-4000-8000-000000000000';
const TOKEN = `${'c0ffee'.repeat(10)}abcd`;
const TOKEN_SHA256 = '0b8f2d2b8f6d4c2bb3a0d1c3d1c8f0f1b3c3a6e0f6a1b2c3d4e5f60718293a4b'; // not the hash of TOKEN
const at = (t: string) => ({ at: t });

// The SHA-256 of TOKEN, as the device would store it in LastPushTokenHash.
import { createHash } from 'node:crypto';
const TOKEN_HASH = createHash('sha256').update(Buffer.from(TOKEN, 'hex')).digest('hex');

const enrolled: Fact[] = [device('device.mdm_enrolled', true), device('device.push_magic', 'MAGIC-OK-1234'), device('device.topic', TOPIC)];

interface Case {
  step: string;
  facts: Fact[];
  answers?: Answer[];
  cause: string;
  status: 'confirmed' | 'likely' | 'ruled_out' | 'open';
  rule?: string;
}

const cases: Case[] = [
  // Network
  {
    step: 'apsd keeps failing to connect and never reaches a courier',
    facts: [device('device.log.connection_failure', '2026-11-20T10:00:00.000Z', at('2026-11-20T10:00:00.000Z')), device('device.log.mdm_lines', 12)],
    cause: 'mdm.network',
    status: 'likely',
    rule: 'mdm.network.log_connection_failures',
  },
  {
    step: 'someone checked: the network blocks port 5223',
    facts: enrolled,
    answers: [{ question: 'q.mdm.network_ok', value: 'no' }],
    cause: 'mdm.network',
    status: 'confirmed',
    rule: 'mdm.network.answered_no',
  },
  {
    step: 'apsd connected to a courier and received pushes, and mdmd talked to the server',
    facts: [
      device('device.log.courier_connected', '2026-11-20T10:00:00.000Z'),
      device('device.log.push_received', '2026-11-20T10:01:00.000Z'),
      device('device.log.checkin', '2026-11-20T10:01:01.000Z'),
    ],
    cause: 'mdm.network',
    status: 'ruled_out',
    rule: 'mdm.network.device_talks',
  },
  {
    step: 'apsd is connected, but nothing shows the device reaching the MDM server (that half of the cause stays open)',
    facts: [
      device('device.log.courier_connected', '2026-11-20T10:00:00.000Z'),
      device('device.log.push_received', '2026-11-20T10:01:00.000Z', { attrs: { topic: 'com.apple.mgmt.External.2a3c4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f' } }),
    ],
    cause: 'mdm.network',
    status: 'open',
  },
  // Unenrolled
  {
    step: 'the MDM profile is gone from the device',
    facts: [server('server.topic', TOPIC)],
    answers: [{ question: 'q.mdm.enrolled', value: 'no' }],
    cause: 'mdm.unenrolled',
    status: 'confirmed',
    rule: 'mdm.unenrolled.no_enrollment',
  },
  {
    step: 'the server received a CheckOut',
    facts: [server('mdm.checkin.checkout', true, at('2026-11-19T08:00:00.000Z'))],
    cause: 'mdm.unenrolled',
    status: 'confirmed',
    rule: 'mdm.unenrolled.checkout_seen',
  },
  {
    step: 'the server pushed to the device after its CheckOut',
    facts: [
      server('mdm.checkin.checkout', true, at('2026-11-19T08:00:00.000Z')),
      server('mdm.push_after_checkout', '2026-11-19T09:00:00.000Z', at('2026-11-19T09:00:00.000Z')),
    ],
    cause: 'mdm.unenrolled',
    status: 'confirmed',
    rule: 'mdm.unenrolled.pushed_after_checkout',
  },
  {
    step: 'every push to the device went out before its CheckOut',
    facts: [
      server('mdm.checkin.checkout', true, at('2026-11-19T08:00:00.000Z')),
      server('mdm.checkout_after_pushes', '2026-11-19T07:00:00.000Z', at('2026-11-19T07:00:00.000Z')),
    ],
    cause: 'mdm.unenrolled',
    status: 'confirmed',
    rule: 'mdm.unenrolled.checkout_after_pushes',
  },
  {
    step: 'a CheckOut was received, but the device holds an enrollment again (re-enrolled; a stale record is another cause)',
    facts: [server('mdm.checkin.checkout', true, at('2026-11-19T08:00:00.000Z')), ...enrolled],
    cause: 'mdm.unenrolled',
    status: 'open',
  },
  { step: 'the sysdiagnose holds an MDM enrollment', facts: enrolled, cause: 'mdm.unenrolled', status: 'ruled_out', rule: 'mdm.unenrolled.still_enrolled' },
  // Wiped
  {
    step: 'the device was erased',
    facts: [server('server.topic', TOPIC)],
    answers: [{ question: 'q.mdm.wiped', value: 'yes' }],
    cause: 'mdm.wiped',
    status: 'confirmed',
    rule: 'mdm.wiped.answered',
  },
  { step: 'the sysdiagnose shows a live enrollment', facts: enrolled, cause: 'mdm.wiped', status: 'ruled_out', rule: 'mdm.wiped.enrolled_now' },
  {
    step: 'the device was erased but has enrolled again since',
    facts: enrolled,
    answers: [{ question: 'q.mdm.wiped', value: 'yes' }],
    cause: 'mdm.wiped',
    status: 'ruled_out',
    rule: 'mdm.wiped.enrolled_now',
  },
  // Wrong topic
  {
    step: 'the server pushes on a topic other than the stub says',
    facts: [...enrolled, server('server.topic', OTHER_TOPIC)],
    cause: 'mdm.wrong_topic',
    status: 'confirmed',
    rule: 'mdm.wrong_topic.values_differ',
  },
  {
    step: 'the server uses an app bundle id as the MDM topic',
    facts: [server('server.topic', 'com.example.app')],
    cause: 'mdm.wrong_topic',
    status: 'confirmed',
    rule: 'mdm.wrong_topic.not_mgmt',
  },
  {
    step: 'the enrollment profile still has the template topic',
    facts: [
      {
        name: 'profile.placeholder',
        value: 'com.apple.mgmt.External.YOUR-PUSH-TOPIC-HERE',
        source: { kind: 'file', input: 'enroll.mobileconfig' },
        attrs: { key: 'Topic' },
      },
    ],
    cause: 'mdm.wrong_topic',
    status: 'confirmed',
    rule: 'mdm.wrong_topic.placeholder',
  },
  {
    step: 'server and device agree on the topic',
    facts: [...enrolled, server('server.topic', TOPIC)],
    cause: 'mdm.wrong_topic',
    status: 'ruled_out',
    rule: 'mdm.wrong_topic.values_match',
  },
  // Wrong token
  {
    step: "the server's token does not hash to LastPushTokenHash",
    facts: [...enrolled, server('server.push_token', TOKEN), device('device.push_token_hash', TOKEN_SHA256)],
    cause: 'mdm.wrong_token',
    status: 'confirmed',
    rule: 'mdm.wrong_token.hash_differs',
  },
  {
    step: "the server's token hashes to LastPushTokenHash (upper-case hex pasted)",
    facts: [...enrolled, server('server.push_token', TOKEN), device('device.push_token_hash', TOKEN_HASH.toUpperCase())],
    cause: 'mdm.wrong_token',
    status: 'ruled_out',
    rule: 'mdm.wrong_token.hash_matches',
  },
  // Wrong magic
  {
    step: "the server's PushMagic is not the device's",
    facts: [...enrolled, server('server.push_magic', 'MAGIC-OLD-9876')],
    cause: 'mdm.wrong_magic',
    status: 'confirmed',
    rule: 'mdm.wrong_magic.values_differ',
  },
  {
    step: 'mdmd logged the wrong-magic rejection',
    facts: [device('device.log.magic_rejection', '2026-11-20T09:00:00.000Z', at('2026-11-20T09:00:00.000Z'))],
    cause: 'mdm.wrong_magic',
    status: 'confirmed',
    rule: 'mdm.wrong_magic.log_rejection',
  },
  {
    step: 'server and device agree on PushMagic',
    facts: [...enrolled, server('server.push_magic', 'MAGIC-OK-1234')],
    cause: 'mdm.wrong_magic',
    status: 'ruled_out',
    rule: 'mdm.wrong_magic.values_match',
  },
  // Enrollment race (seed 000: the window is under a second, and the server's push almost never wins it)
  {
    step: 'one push 0.4 s after the TokenUpdate, never retried, and the device never came while the log went on',
    facts: [
      server('mdm.checkin.token_update', true, at('2026-11-20T09:00:00.000Z')),
      server('server.push_sent', true, at('2026-11-20T09:00:00.400Z')),
      // The server's log goes on for an hour with other work: no push, no contact from this device.
      server('server.topic', TOPIC, at('2026-11-20T10:00:00.000Z')),
    ],
    cause: 'mdm.enrollment_race',
    status: 'likely',
    rule: 'mdm.enrollment_race.too_soon_no_retry',
  },
  {
    step: 'one push 0.4 s after the TokenUpdate, but the log ends with it: whether the device came is not known',
    facts: [server('mdm.checkin.token_update', true, at('2026-11-20T09:00:00.000Z')), server('server.push_sent', true, at('2026-11-20T09:00:00.400Z'))],
    cause: 'mdm.enrollment_race',
    status: 'open',
  },
  {
    step: 'a push 3 s after the TokenUpdate is past the race, even unretried and unanswered',
    facts: [
      server('mdm.checkin.token_update', true, at('2026-11-20T09:00:00.000Z')),
      server('server.push_sent', true, at('2026-11-20T09:00:03.000Z')),
      server('server.topic', TOPIC, at('2026-11-20T10:00:00.000Z')),
    ],
    cause: 'mdm.enrollment_race',
    status: 'ruled_out',
    rule: 'mdm.enrollment_race.not_applicable',
  },
  {
    step: 'the engineer says the push left within a second of enrollment, the server never retries, and the device never came',
    facts: [server('server.topic', TOPIC)],
    answers: [
      { question: 'q.mdm.push_soon_after_enrollment', value: 'yes' },
      { question: 'q.mdm.server_retries', value: 'no' },
      { question: 'q.mdm.device_came_since', value: 'no' },
    ],
    cause: 'mdm.enrollment_race',
    status: 'likely',
    rule: 'mdm.enrollment_race.answered',
  },
  {
    step: 'the engineer says the push left right after enrollment, but the device has checked in since',
    facts: [server('server.topic', TOPIC)],
    answers: [
      { question: 'q.mdm.push_soon_after_enrollment', value: 'yes' },
      { question: 'q.mdm.server_retries', value: 'no' },
      { question: 'q.mdm.device_came_since', value: 'yes' },
    ],
    cause: 'mdm.enrollment_race',
    status: 'ruled_out',
    rule: 'mdm.enrollment_race.not_applicable',
  },
  {
    step: 'the server pushed again a minute later',
    facts: [
      server('mdm.checkin.token_update', true, at('2026-11-20T09:00:00.000Z')),
      server('server.push_sent', true, at('2026-11-20T09:00:00.400Z')),
      server('server.push_sent', true, at('2026-11-20T09:01:00.000Z')),
    ],
    cause: 'mdm.enrollment_race',
    status: 'ruled_out',
    rule: 'mdm.enrollment_race.not_applicable',
  },
];

describe('MDM push returned 200 OK but the device never checked in (seed 000)', () => {
  it.each(cases)('$cause is $status when $step', ({ facts, answers, cause, status, rule }) => {
    const d = run(facts, answers);
    expect(statusOf(d, cause)).toBe(status);
    if (rule) expect(heldRules(d, cause)).toContain(rule);
  });

  it('names both PushMagic values and where each came from', () => {
    const d = run([...enrolled, server('server.push_magic', 'MAGIC-OLD-9876')]);
    const c = d.causes.find((x) => x.cause.id === 'mdm.wrong_magic')!;
    const ev = c.decided[0].evidence.map((f) => `${f.name}=${f.value}@${f.source.kind}`);
    expect(ev).toEqual(['device.push_magic=MAGIC-OK-1234@file', 'server.push_magic=MAGIC-OLD-9876@pasted']);
  });

  it('keeps contradicting device values side by side and reports them', () => {
    const d = run([
      device('device.topic', TOPIC),
      { ...device('device.topic', OTHER_TOPIC), source: { kind: 'file', input: 'sd.tgz', member: 'logs/MCState/Shared/profile-2.stub' } },
    ]);
    expect(d.conflicts.map((c) => c.fact)).toEqual(['device.topic']);
    expect(d.conflicts[0].values).toHaveLength(2);
  });

  it('asks whose values an unlabelled paste holds before anything else', () => {
    const d = run([{ name: 'pasted.push_magic', value: 'MAGIC-OLD-9876', source: { kind: 'pasted', input: 'Slack message' } }, ...enrolled]);
    expect(d.questions[0].question.id).toBe('q.case.pasted_side');
    const answered = run(
      [{ name: 'pasted.push_magic', value: 'MAGIC-OLD-9876', source: { kind: 'pasted', input: 'Slack message' } }, ...enrolled],
      [{ question: 'q.case.pasted_side', value: 'server' }],
    );
    expect(statusOf(answered, 'mdm.wrong_magic')).toBe('confirmed');
  });

  it('asks what kind of problem this is when nothing in the evidence says', () => {
    const d = run([]);
    expect(d.causes).toEqual([]);
    expect(d.questions.map((q) => q.question.id)).toEqual(['q.case.domain']);
    const mdm = run([], [{ question: 'q.case.domain', value: 'mdm' }]);
    expect(mdm.causes.length).toBeGreaterThan(0);
    expect(mdm.causes.every((c) => c.cause.domain === 'mdm')).toBe(true);
  });

  it('ranks the question that settles the most open causes first, ties in file order', () => {
    const d = run([server('server.topic', TOPIC)]);
    const first = d.questions[0];
    expect(first.settles.length).toBeGreaterThanOrEqual(d.questions[1].settles.length);
    // APNs's answer to the push settles the most: the expired certificate, the server's network and whether it
    // holds push details (the server-network cause asks for it since it had no question at all).
    expect(first.question.id).toBe('q.mdm.push_status');
    expect(d.questions[1].question.id).toBe('q.mdm.enrolled'); // settles unenrolled and wiped
  });

  it('lets the later of two answers stand and records the earlier one', () => {
    const d = run(enrolled, [
      { question: 'q.mdm.network_ok', value: 'no', by: 'U1' },
      { question: 'q.mdm.network_ok', value: 'yes', by: 'U2' },
    ]);
    expect(d.superseded).toHaveLength(1);
    expect(d.superseded[0].later.by).toBe('U2');
    expect(d.facts.filter((f) => f.name === 'device.network_ok').map((f) => f.value)).toEqual([true]);
  });

  it('escalates when every MDM cause is ruled out', () => {
    const d = run(
      [
        ...enrolled,
        server('server.topic', TOPIC),
        server('server.push_magic', 'MAGIC-OK-1234'),
        server('server.push_token', TOKEN),
        device('device.push_token_hash', TOKEN_HASH),
        device('device.log.courier_connected', '2026-11-20T10:00:00.000Z'),
        server('server.push_status', 200),
      ],
      [
        { question: 'q.mdm.push_soon_after_enrollment', value: 'no' },
        { question: 'q.mdm.server_reachable', value: 'yes' },
      ],
    );
    expect(d.causes.filter((c) => c.status !== 'ruled_out').map((c) => c.cause.id)).toEqual([]);
    expect(d.escalate).toBe(true);
  });

  it('says the logging profiles are needed when the push-path log lines are redacted, instead of guessing', () => {
    const redacted = run([...enrolled, device('device.log.redacted', true), device('device.log.mdm_lines', 4)]);
    expect(redacted.advisories.map((a) => a.advisory.id)).toEqual(['mdm.note.redacted_logs']);
    const plain = run([...enrolled, device('device.log.redacted', false), device('device.log.mdm_lines', 4)]);
    expect(plain.advisories).toEqual([]);
  });

  it('says when the device logs do not cover the push path at all', () => {
    const quiet = run([
      ...enrolled,
      device('device.log.mdm_lines', 0),
      device('device.log.mdm_lines', 0, { source: { kind: 'file', input: 'sd.tgz', member: 'b.log' } }),
    ]);
    expect(quiet.advisories.map((a) => a.advisory.id)).toEqual(['mdm.note.logs_without_push_path']);
    const covered = run([
      ...enrolled,
      device('device.log.mdm_lines', 0),
      device('device.log.mdm_lines', 7, { source: { kind: 'file', input: 'sd.tgz', member: 'b.log' } }),
    ]);
    expect(covered.advisories).toEqual([]);
  });

  describe("a push the device's own log shows arriving, though it never checked in", () => {
    // Seed 000: wrong-topic and wrong-token pushes never arrive; one with only the magic wrong arrives and
    // mdmd rejects it. So an arrival proves the certificate, topic and token were right at that time.
    const rejected = device('device.log.magic_rejection', '2026-11-20T09:00:01.000Z', {
      at: '2026-11-20T09:00:01.000Z',
      source: { kind: 'file', input: 'mdmd.log', line: 12 },
    });
    const received = device('device.log.push_received', '2026-11-20T09:00:01.000Z', {
      at: '2026-11-20T09:00:01.000Z',
      attrs: { topic: TOPIC },
      source: { kind: 'file', input: 'apsd.log', line: 3 },
    });

    it.each(['mdm.wrong_topic', 'mdm.wrong_token', 'mdm.certificate_expired', 'mdm.enrollment_race'])('an mdmd rejection rules out %s', (cause) => {
      const d = run([server('server.topic', TOPIC), rejected]);
      expect(statusOf(d, cause)).toBe('ruled_out');
      expect(heldRules(d, cause)).toContain(`${cause}.push_arrived`);
    });

    it('apsd receiving it on the MDM topic does the same, and shows the device enrolled', () => {
      const d = run([server('server.topic', TOPIC), received]);
      for (const cause of ['mdm.wrong_topic', 'mdm.wrong_token', 'mdm.certificate_expired', 'mdm.enrollment_race'])
        expect(heldRules(d, cause)).toContain(`${cause}.push_arrived`);
      expect(statusOf(d, 'mdm.unenrolled')).toBe('ruled_out');
      // Nothing to ask about APNs's answer or the device's network: the push came through.
      expect(d.questions.map((q) => q.question.id)).not.toContain('q.mdm.push_status');
      expect(d.questions.map((q) => q.question.id)).not.toContain('q.mdm.network_ok');
    });

    it("an app's push, or one whose topic is redacted, proves nothing about the MDM push", () => {
      const app = device('device.log.push_received', '2026-11-20T09:00:01.000Z', { at: '2026-11-20T09:00:01.000Z', attrs: { topic: 'com.acme.chat' } });
      const hidden = device('device.log.push_received', '2026-11-20T09:00:01.000Z', { at: '2026-11-20T09:00:01.000Z' });
      for (const f of [app, hidden]) {
        const d = run([server('server.topic', TOPIC), f]);
        expect(heldRules(d, 'mdm.wrong_token')).not.toContain('mdm.wrong_token.push_arrived');
      }
    });

    it('an arrival before the failing push says nothing about it', () => {
      const udid = { udid: '0000-DEVICE' };
      const failing = server('server.push_sent', true, { at: '2026-11-20T10:00:00.000Z', attrs: { ...udid, status: '200' } });
      const later = server('mdm.command.status', 'Idle', { at: '2026-11-20T10:30:00.000Z', attrs: { udid: 'OTHER' } });
      const d = run([server('server.topic', TOPIC), rejected, failing, later], [{ question: 'q.case.device', value: '0000-DEVICE' }]);
      expect(heldRules(d, 'mdm.wrong_token')).not.toContain('mdm.wrong_token.push_arrived');
      expect(statusOf(d, 'mdm.wrong_token')).not.toBe('ruled_out');
    });
  });

  describe('a push the device answered within a minute', () => {
    const udid = { udid: '0000-DEVICE' };
    const push = server('server.push_sent', true, { at: '2026-11-20T09:00:00.000Z', attrs: udid });
    const answer = server('mdm.command.status', 'Idle', { at: '2026-11-20T09:00:02.000Z', attrs: udid });

    it.each([
      'mdm.network',
      'mdm.unenrolled',
      'mdm.wiped',
      'mdm.wrong_topic',
      'mdm.wrong_token',
      'mdm.wrong_magic',
      'mdm.enrollment_race',
      'mdm.certificate_expired',
    ])('rules out %s', (cause) => {
      const d = run([server('server.topic', TOPIC), push, answer]);
      expect(statusOf(d, cause)).toBe('ruled_out');
      expect(heldRules(d, cause)).toContain(`${cause}.push_answered`);
    });

    it('is not a case for Apple, though every cause is ruled out', () => {
      const d = run([server('server.topic', TOPIC), push, answer]);
      expect(d.causes.every((c) => c.status === 'ruled_out')).toBe(true);
      expect(d.escalate).toBe(false);
      expect(d.advisories.map((a) => a.advisory.id)).toContain('mdm.note.push_answered');
    });

    it('does not count another device, or an answer after more than a minute', () => {
      const other = server('mdm.command.status', 'Idle', { at: '2026-11-20T09:00:02.000Z', attrs: { udid: 'OTHER' } });
      const late = server('mdm.command.status', 'Idle', { at: '2026-11-20T09:05:00.000Z', attrs: udid });
      const d = run([server('server.topic', TOPIC), push, other, late]);
      expect(d.facts.filter((f) => f.name === 'server.push_answered').map((f) => f.value)).toEqual([false]);
      expect(heldRules(d, 'mdm.network')).not.toContain('mdm.network.push_answered');
    });

    it('judges the latest push: an old answered push does not hide a later unanswered one', () => {
      const later = server('server.push_sent', true, { at: '2026-11-21T09:00:00.000Z', attrs: udid });
      const afterLater = server('mdm.checkin.token_update', true, { at: '2026-11-21T09:10:00.000Z', attrs: udid });
      const d = run([server('server.topic', TOPIC), push, answer, later, afterLater]);
      expect(d.facts.filter((f) => f.name === 'server.push_answered').map((f) => [f.value, f.at])).toEqual([[false, '2026-11-21T09:00:00.000Z']]);
      expect(d.escalate).toBe(false);
      expect(statusOf(d, 'mdm.wrong_topic')).not.toBe('ruled_out');
    });

    it('says nothing when the evidence ends before the minute is up', () => {
      const d = run([server('server.topic', TOPIC), push, server('mdm.command.status', 'NotNow', { at: '2026-11-20T08:59:00.000Z', attrs: udid })]);
      expect(d.facts.some((f) => f.name === 'server.push_answered')).toBe(false);
    });
  });
});
