import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cause, diagnose, facts, file, heldRules, note, questionIds } from './evidence.js';

/**
 * Troubleshooting step: "the app's pushes go through Firebase Cloud Messaging; what did FCM answer?"
 * FCM keeps its own registration token for the app on the device and relays the push to APNs, so its
 * answers speak of its token: UNREGISTERED says FCM's token is dead (the app removed, or a newer token the
 * server does not use), never by itself that APNs answered 410. Every value below is made up; each file
 * follows the layout named above it, as FCM's HTTP v1 and legacy APIs, the Admin SDKs and the libraries
 * quoted in public issue threads print them.
 */

/** FCM HTTP v1's error body, pretty-printed (the layout of its ErrorCode reference and the Admin SDK threads). */
const v1Body = (code: number, status: string, message: string, errorCode: string) =>
  `${JSON.stringify(
    { error: { code, message, status, details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }] } },
    null,
    2,
  )}\n`;

describe('FCM says its token for the device is no longer registered', () => {
  it('HTTP v1 UNREGISTERED: the app was likely removed, asked rather than confirmed', async () => {
    const r = await diagnose(file('fcm-send.json', v1Body(404, 'NOT_FOUND', 'Requested entity was not found.', 'UNREGISTERED')));
    expect(r.domains).toEqual(['apns']);
    expect(facts(r, 'apns.relay_answer').map((f) => [f.value, f.attrs.relay, f.attrs.code])).toEqual([['unregistered', 'fcm', 'UNREGISTERED']]);
    // FCM's answer is not APNs's: no 410 is made up from it.
    expect(facts(r, 'apns.response')).toEqual([]);
    expect(cause(r, 'apns.app_removed')?.status).toBe('likely');
    expect(heldRules(cause(r, 'apns.app_removed'))).toEqual(['apns.app_removed.relay_unregistered']);
    expect(r.questions.map((q: { id: string }) => q.id)).toContain('q.apns.app_installed');
  });

  it('with the app still installed, the server holds an old token: likely, not confirmed', async () => {
    const log = file(
      'push-service.log',
      [
        // A Spring Boot log line, then the Admin SDK's HttpResponseException body (firebase-admin-java #972's layout).
        '2026-11-20 09:12:44.318 ERROR 4121 --- [pool-3-thread-2] c.a.push.FcmSender : send failed for user 8812',
        'com.google.api.client.http.HttpResponseException: 404 Not Found',
        'POST https://fcm.googleapis.com/v1/projects/acme-chat/messages:send',
        v1Body(404, 'NOT_FOUND', 'Requested entity was not found.', 'UNREGISTERED'),
      ].join('\n'),
    );
    const r = await diagnose(log, '--answer', 'q.apns.app_installed=yes');
    const [answer] = facts(r, 'apns.relay_answer');
    // The body's lines belong to the log entry above them: its time, and no zone written.
    expect([answer?.at, answer?.attrs.zone]).toEqual(['2026-11-20T09:12:44.318Z', 'unknown']);
    expect(cause(r, 'apns.app_removed')?.status).toBe('ruled_out');
    expect(cause(r, 'apns.stale_token')?.status).toBe('likely');
    expect(heldRules(cause(r, 'apns.stale_token'))).toContain('apns.stale_token.relay_unregistered_but_installed');
  });

  it("the Node Admin SDK's messaging/registration-token-not-registered, printed under its message", async () => {
    const r = await diagnose(
      file(
        'functions.log',
        [
          '2026-11-20T09:14:02.413Z Error sending message: FirebaseMessagingError: Requested entity was not found.',
          '    at FirebaseMessagingError.fromServerError (/srv/app/node_modules/firebase-admin/lib/utils/error.js:254:16)',
          '  errorInfo: {',
          "    code: 'messaging/registration-token-not-registered',",
          "    message: 'Requested entity was not found.'",
          '  },',
          "  codePrefix: 'messaging'",
          '}',
          '',
        ].join('\n'),
      ),
    );
    // The error printed under the log entry is the entry's: named by its first line, with its time.
    expect(facts(r, 'apns.relay_answer').map((f) => [f.value, f.at, f.source])).toEqual([
      ['unregistered', '2026-11-20T09:14:02.413Z', expect.stringMatching(/functions\.log:1$/)],
    ]);
  });

  it("the legacy API's NotRegistered, and a push dashboard quoting it, say the same", async () => {
    const legacy = await diagnose(
      file('gcm-response.json', '{"multicast_id":5123412341234123412,"success":0,"failure":1,"canonical_ids":0,"results":[{"error":"NotRegistered"}]}\n'),
    );
    expect(facts(legacy, 'apns.relay_answer').map((f) => f.value)).toEqual(['unregistered']);
    const bounce = await diagnose(file('changelog.txt', '2026-11-20 09:30:04 UTC  Push bounced: NotRegistered\n'));
    expect(facts(bounce, 'apns.relay_answer').map((f) => f.value)).toEqual(['unregistered']);
  });

  it('APNs Unregistered beside it (FCM passing on the ApnsError) is still read as APNs answered it', async () => {
    const body = JSON.stringify({
      error: {
        code: 404,
        status: 'NOT_FOUND',
        details: [
          { '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'UNREGISTERED' },
          { '@type': 'type.googleapis.com/google.firebase.fcm.v1.ApnsError', statusCode: 410, reason: 'Unregistered' },
        ],
      },
    });
    const r = await diagnose(file('fcm.json', `${body}\n`));
    expect(facts(r, 'apns.relay_answer').map((f) => f.value)).toEqual(['unregistered']);
    expect(facts(r, 'apns.response').map((f) => f.value)).toEqual(['Unregistered']);
  });

  it('a delivered FCM message is no refusal', async () => {
    const r = await diagnose(
      file('fcm-ok.json', '{ "name": "projects/acme-chat/messages/0:1764504000000000%31bd1c9631bd1c96" }\n'),
      '--answer',
      'q.case.domain=apns',
    );
    expect(facts(r, 'apns.relay_answer')).toEqual([]);
    expect(heldRules(cause(r, 'apns.app_removed'))).toEqual([]);
  });

  it('a word that only looks like a code is not taken: "unregistered" in prose, a status of NOT_FOUND', async () => {
    const r = await diagnose(
      file(
        'notes.log',
        [
          '2026-11-20T09:00:00Z INFO push-worker device unregistered from marketing topic',
          '2026-11-20T09:00:01Z WARN push-worker lookup status=NOT_FOUND error="Unavailable"',
          '',
        ].join('\n'),
      ),
      '--answer',
      'q.case.domain=apns',
    );
    expect(facts(r, 'apns.relay_answer')).toEqual([]);
  });
});

describe("Expo, which relays an iOS app's pushes to APNs the same way", () => {
  it('a receipt\'s DeviceNotRegistered (expo/expo #18174\'s layout): the app likely removed, and its "status":"error" is no MDM command status', async () => {
    const r = await diagnose(
      file(
        'receipts.json',
        '{"data":{"status":"error","message":"\\"ExponentPushToken[Zk3mQ1a8bW2cX9dE4fG7hJ]\\" is not a registered push notification recipient","details":{"error":"DeviceNotRegistered","expoPushToken":"ExponentPushToken[Zk3mQ1a8bW2cX9dE4fG7hJ]"}}}\n',
      ),
    );
    expect(facts(r, 'apns.relay_answer').map((f) => [f.value, f.attrs.relay, f.attrs.scope])).toEqual([['unregistered', 'expo', 'one']]);
    expect(r.problems).toEqual([]);
    expect(cause(r, 'apns.app_removed')?.status).toBe('likely');
  });

  it("Expo's generic names count only in a file that has named Expo", async () => {
    const r = await diagnose(file('other.json', '{"status":"error","details":{"error":"MessageTooBig"}}\n'), '--answer', 'q.case.domain=apns');
    expect(facts(r, 'apns.relay_answer')).toEqual([]);
  });
});

describe("FCM's other answers, as notes: none is an APNs answer or a device fault", () => {
  it('SENDER_ID_MISMATCH: the token is another Firebase project’s (a Tornado log of the dict, airnotifier’s layout)', async () => {
    const r = await diagnose(
      file(
        'airnotifier.err',
        "[E 261120 09:41:17 fcm:111] {'error': {'code': 403, 'message': 'SenderId mismatch', 'status': 'PERMISSION_DENIED', 'details': [{'@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', 'errorCode': 'SENDER_ID_MISMATCH'}]}}\n",
      ),
    );
    // The message and the code on one line are one answer.
    expect(facts(r, 'apns.relay_answer').map((f) => [f.value, f.attrs.code])).toEqual([['sender_id_mismatch', 'SENDER_ID_MISMATCH']]);
    expect(note(r, 'apns.note.relay_sender_mismatch')?.text).toMatch(/another sender/);
    expect(cause(r, 'apns.app_removed')?.status).not.toBe('likely');
  });

  it("the message above its code in a pretty-printed body is one answer, at the code's line", async () => {
    const r = await diagnose(file('fcm-403.json', v1Body(403, 'PERMISSION_DENIED', 'SenderId mismatch', 'SENDER_ID_MISMATCH')));
    expect(facts(r, 'apns.relay_answer').map((f) => [f.value, f.source])).toEqual([['sender_id_mismatch', expect.stringMatching(/:9$/)]]);
  });

  it('INVALID_ARGUMENT naming the registration token, and Python exceptions per token (values cut short are FCM tokens, not APNs ones; two tokens are two devices)', async () => {
    const v1 = await diagnose(
      file('fcm-400.json', v1Body(400, 'INVALID_ARGUMENT', 'The registration token is not a valid FCM registration token', 'INVALID_ARGUMENT')),
    );
    expect(facts(v1, 'apns.relay_answer').map((f) => f.value)).toEqual(['invalid_registration']);
    expect(note(v1, 'apns.note.relay_invalid_token')?.text).toMatch(/APNs device token/);

    const py = await diagnose(
      file(
        'tasks.log',
        [
          '2026-11-20 11:03:27,555 ERROR notify.tasks: FCM send failed token=eXk3...: firebase_admin._messaging_utils.UnregisteredError: Requested entity was not found.',
          '2026-11-20 11:03:29,440 ERROR notify.tasks: FCM send failed token=cA9m...: firebase_admin._messaging_utils.SenderIdMismatchError: SenderId mismatch',
          '',
        ].join('\n'),
      ),
    );
    expect(facts(py, 'apns.relay_answer').map((f) => [f.value, f.attrs.scope])).toEqual([
      ['unregistered', 'several'],
      ['sender_id_mismatch', 'several'],
    ]);
    // Two tokens' answers in one worker log: one device's UNREGISTERED is not taken for the case's device.
    expect(cause(py, 'apns.app_removed')?.status).not.toBe('likely');
    expect(note(py, 'apns.note.relay_several_devices')).toBeDefined();
    // Read as FCM answers, the file is no list of pasted MDM values with a token cut short.
    expect(facts(py, 'value.masked')).toEqual([]);
    expect(py.problems).toEqual([]);
  });

  it('QUOTA_EXCEEDED: FCM did not take the push; retry later', async () => {
    const r = await diagnose(
      file(
        'fcm-429.json',
        `${JSON.stringify({
          error: {
            code: 429,
            message: 'Quota exceeded for quota metric',
            status: 'RESOURCE_EXHAUSTED',
            details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'QUOTA_EXCEEDED' }],
          },
        })}\n`,
      ),
    );
    expect(facts(r, 'apns.relay_answer').map((f) => f.value)).toEqual(['quota_exceeded']);
    expect(note(r, 'apns.note.relay_unavailable')).toBeDefined();
    expect(note(r, 'apns.note.relay_sender_mismatch')).toBeUndefined();
  });

  it('a multicast answer lists each token’s result (node-gcm’s printed object): every kind is read once per line, a generic one in an FCM answer too', async () => {
    const r = await diagnose(
      file(
        'notifications.out',
        [
          '{ multicast_id: 8194407334300346000,',
          '  success: 1,',
          '  failure: 3,',
          "  results: [ { error: 'MismatchSenderId' }, { error: 'InvalidRegistration' }, { error: 'NotRegistered' }, { error: 'NotRegistered' }, { error: 'Unavailable' }, { message_id: '0:1429899784497926%9ea3c721f9fd7ecd' } ] }",
          '',
        ].join('\n'),
      ),
    );
    expect(facts(r, 'apns.relay_answer').map((f) => f.value)).toEqual(['invalid_registration', 'sender_id_mismatch', 'unavailable', 'unregistered']);
    // One token's NotRegistered in a batch of five is not this case's device: asked, not called likely.
    expect(facts(r, 'apns.relay_answer').every((f) => f.attrs.scope === 'several')).toBe(true);
    expect(cause(r, 'apns.app_removed')?.status).not.toBe('likely');
    expect(note(r, 'apns.note.relay_several_devices')).toBeDefined();
  });

  it('a batch of one (success 0, failure 1) is that one device’s answer', async () => {
    const r = await diagnose(
      file('gcm.json', '{"multicast_id":5123412341234123412,"success":0,"failure":1,"canonical_ids":0,"results":[{"error":"NotRegistered"}]}\n'),
    );
    expect(facts(r, 'apns.relay_answer').map((f) => f.attrs.scope)).toEqual(['one']);
    expect(note(r, 'apns.note.relay_several_devices')).toBeUndefined();
  });
});

describe('one provider log holding several kinds of FCM answer (test/fixtures/apns/fcm_relay_answers.log)', () => {
  it('reads each with its line and time, and takes none of their HTTP statuses for an APNs answer', async () => {
    const fixture = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/apns/fcm_relay_answers.log');
    const r = await diagnose(fixture);
    expect(facts(r, 'apns.relay_answer').map((f) => [f.value, f.origin.line, f.at])).toEqual([
      ['unregistered', 1, '2026-11-20T09:14:02.413Z'],
      ['sender_id_mismatch', 2, '2026-11-20T09:14:03.020Z'],
      ['invalid_registration', 3, '2026-11-20T09:14:04.551Z'],
      ['unavailable', 3, '2026-11-20T09:14:04.551Z'],
    ]);
    // `"code":403` in FCM's body is FCM's status: no APNs 403, so no failed push for an Apple Feedback.
    expect(facts(r, 'apns.response')).toEqual([]);
    expect(facts(r, 'case.failed_push')).toEqual([]);
  });
});

describe("one token's answers, logged line by line", () => {
  it('the same token refused twice is still one device: the app likely removed', async () => {
    const r = await diagnose(
      file(
        'tasks.log',
        [
          '2026-11-20 11:03:27,555 ERROR notify.tasks: FCM send failed token=eXk3Qm9...: firebase_admin._messaging_utils.UnregisteredError: Requested entity was not found.',
          '2026-11-20 11:13:27,102 ERROR notify.tasks: FCM send failed token=eXk3Qm9...: firebase_admin._messaging_utils.UnregisteredError: Requested entity was not found.',
          '',
        ].join('\n'),
      ),
    );
    expect(facts(r, 'apns.relay_answer').every((f) => f.attrs.scope === 'one')).toBe(true);
    expect(cause(r, 'apns.app_removed')?.status).toBe('likely');
  });
});

describe('a case whose only answers are the relay’s (FCM), none from APNs: the first question fits a relayed push', () => {
  it('does not ask which APNs host the provider sends to (FCM picks it from the token the app registered), but which build made the token', async () => {
    const r = await diagnose(file('fcm-403.json', v1Body(403, 'PERMISSION_DENIED', 'SenderId mismatch', 'SENDER_ID_MISMATCH')));
    expect(facts(r, 'apns.response')).toEqual([]);
    expect(r.headline).not.toMatch(/APNs host/);
    expect(r.nextAction.question).toBe('q.apns.token_environment');
    // The question stays in the list for whoever knows; it is only not asked first.
    expect(questionIds(r)).toContain('q.apns.provider_host');
  });

  it('with APNs’s own answer beside it (a provider of its own), the host is still asked first', async () => {
    const r = await diagnose(
      file('fcm-403.json', v1Body(403, 'PERMISSION_DENIED', 'SenderId mismatch', 'SENDER_ID_MISMATCH')),
      file('provider.log', '2026-11-20T09:20:00Z ERROR apns: push failed status=400 reason=BadDeviceToken apns-id=5E8C3B2A-1D4F-4E6A-9B7C-0D1E2F3A4B5C\n'),
    );
    expect(facts(r, 'apns.response').length).toBeGreaterThan(0);
    expect(r.nextAction.question).toBe('q.apns.provider_host');
  });
});
