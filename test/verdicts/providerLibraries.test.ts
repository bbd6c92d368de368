import { describe, expect, it } from 'vitest';
import { cause, diagnose, facts, file, note, questionIds } from './evidence.js';

/**
 * Troubleshooting step: "what did APNs answer the provider?", read from the log of the library the
 * provider is built on, in the shape that library prints it: node-apn's failed entries, PyAPNs2's
 * exception at the end of a traceback, apns2 (Go) printing status, apns-id and reason, and a provider
 * logging APNs' transient answers. Every value below is made up.
 */

const FIRST = '5f1c0a9d2b7e4c3f8a6d1e0b9c2f4a7d5e8b1c3f6a9d2e0b7c4f1a8d5e2b9c6f';
const SECOND = '0b9c2f4a7d5e8b1c3f6a9d2e0b7c4f1a8d5e2b9c6f5f1c0a9d2b7e4c3f8a6d1e';

describe("node-apn's failed entries for two devices", () => {
  const log = () =>
    file(
      'push-worker.log',
      [
        `2026-11-30T09:14:02.412Z error: apn failed { device: '${FIRST}', status: '400', response: { reason: 'BadDeviceToken' } }`,
        `2026-11-30T09:14:02.413Z error: apn failed { device: '${SECOND}', status: '410', response: { reason: 'Unregistered', timestamp: 1764493200000 } }`,
        '',
      ].join('\n'),
    );

  it('each answer names the token it was for', async () => {
    const r = await diagnose(log());
    expect(facts(r, 'apns.response').map((f) => [f.value, f.attrs.token])).toEqual([
      ['BadDeviceToken', FIRST],
      ['Unregistered', SECOND],
    ]);
  });

  it('with no word on which device the case is about, asks instead of calling the app removed', async () => {
    const r = await diagnose(log());
    expect(cause(r, 'apns.app_removed')?.status).not.toBe('likely');
    expect(questionIds(r)).toContain('q.case.device');
  });
});

describe("PyAPNs2's exception at the end of a traceback", () => {
  it('is the answer APNs gave: a bad device token, most often the other environment', async () => {
    const r = await diagnose(
      file(
        'worker.log',
        [
          'Traceback (most recent call last):',
          '  File "/srv/app/push.py", line 41, in send',
          '    client.send_notification(token_hex, payload, topic)',
          '  File "/usr/lib/python3/site-packages/apns2/client.py", line 106, in send_notification',
          '    raise exception_class_for_reason(result)',
          'apns2.errors.BadDeviceToken',
          '',
        ].join('\n'),
      ),
    );
    expect(facts(r, 'apns.response').map((f) => f.value)).toEqual(['BadDeviceToken']);
    expect(cause(r, 'apns.environment_mismatch')?.status).toBe('likely');
  });

  it('a sentence naming an exception is still no answer', async () => {
    const r = await diagnose(file('chat.txt', 'we should catch apns2.errors.BadDeviceToken in the worker\n'));
    expect(facts(r, 'apns.response')).toEqual([]);
  });
});

describe('a provider token that is stale or renewed too often', () => {
  const apns2 = (reason: string, status: number) => file('apns2.log', `2026/11/30 10:02:12 Error: ${status} 9A0B1C2D-3E4F-5061-7283-94A5B6C7D8E9 ${reason}\n`);

  it('ExpiredProviderToken: the first step is to renew the token on a schedule, not to re-sign it differently', async () => {
    const r = await diagnose(apns2('ExpiredProviderToken', 403));
    const c = cause(r, 'apns.provider_token');
    expect(c?.status).toBe('confirmed');
    expect(c?.nextSteps[0]).toMatch(/20 minutes/);
    expect(r.headline).toMatch(/20 minutes/);
  });

  it('TooManyProviderTokenUpdates: the same', async () => {
    const r = await diagnose(apns2('TooManyProviderTokenUpdates', 429));
    expect(cause(r, 'apns.provider_token')?.nextSteps[0]).toMatch(/20 minutes/);
  });

  it('InvalidProviderToken: the first step is how to sign it', async () => {
    const r = await diagnose(apns2('InvalidProviderToken', 403));
    expect(cause(r, 'apns.provider_token')?.nextSteps[0]).toMatch(/ES256/);
  });
});

describe("APNs' transient answers (429 TooManyRequests, 500, 503)", () => {
  const log = () =>
    file(
      'sender.log',
      [
        `2026-11-30 14:00:00 apns response 429 TooManyRequests token=${FIRST}`,
        '2026-11-30 14:00:05 apns response 503 ServiceUnavailable',
        '2026-11-30 14:00:07 apns response 500 InternalServerError',
        '',
      ].join('\n'),
    );

  it('are said in the report: back off and retry, they say nothing of the token', async () => {
    const r = await diagnose(log());
    expect(note(r, 'apns.note.transient_answer')?.text).toMatch(/back off/i);
  });

  it('a push refused as one of too many to the same token is no failed push to file with Apple: the provider must send fewer', async () => {
    const r = await diagnose(file('sender.log', `2026-11-30 14:00:00 apns response 429 TooManyRequests token=${FIRST}\n`));
    expect(facts(r, 'case.failed_push')).toEqual([]);
  });

  it('APNs unavailable (503) stays on record as a failed push: if it lasts, it is for Apple', async () => {
    const r = await diagnose(file('sender.log', '2026-11-30 14:00:05 apns response 503 ServiceUnavailable\n'));
    expect(facts(r, 'case.failed_push').map((f) => f.value)).toEqual(['503 ServiceUnavailable']);
  });

  it('an accepted push alone brings no such note', async () => {
    const r = await diagnose(file('ok.log', `2026-11-30 14:00:00 apns response 200 token=${FIRST}\n`));
    expect(note(r, 'apns.note.transient_answer')).toBeUndefined();
  });
});

describe('Firebase Cloud Messaging relaying that APNs refused the credentials uploaded to it', () => {
  const v1 = () =>
    file(
      'fcm-response.json',
      `${JSON.stringify(
        {
          error: {
            code: 401,
            message: 'Auth error from APNS or Web Push Service',
            status: 'UNAUTHENTICATED',
            details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'THIRD_PARTY_AUTH_ERROR' }],
          },
        },
        null,
        2,
      )}\n`,
    );

  it("FCM v1's THIRD_PARTY_AUTH_ERROR: an app push case, pointing at the APNs key or certificate in the Firebase project", async () => {
    const r = await diagnose(v1());
    expect(r.domains).toEqual(['apns']);
    expect(facts(r, 'apns.relay_credentials_refused').map((f) => f.value)).toEqual(['fcm']);
    expect(note(r, 'apns.note.relay_credentials')?.text).toMatch(/Cloud Messaging/);
  });

  it("the Admin SDK's messaging/third-party-auth-error says the same", async () => {
    const r = await diagnose(
      file(
        'functions.log',
        '2026-11-30T12:00:01.220Z E sendPush: FirebaseMessagingError: Auth error from APNS or Web Push Service code=messaging/third-party-auth-error\n',
      ),
    );
    expect(note(r, 'apns.note.relay_credentials')).toBeDefined();
  });

  it('a delivered FCM message brings no such note', async () => {
    const r = await diagnose(file('fcm-ok.json', '{ "name": "projects/demo-app/messages/0:1764504000000000%31bd1c9631bd1c96" }\n'));
    expect(note(r, 'apns.note.relay_credentials')).toBeUndefined();
  });
});

describe('APNs refused a token, then accepted a later push to the same token', () => {
  const log = () =>
    file(
      'provider.log',
      [
        `2026-11-30T10:00:00Z WARN apns: POST https://api.push.apple.com/3/device/${FIRST} status=410 reason=Unregistered timestamp=1764490000000`,
        `2026-11-30T11:00:00Z INFO apns: POST https://api.push.apple.com/3/device/${FIRST} status=200 apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c`,
        '',
      ].join('\n'),
    );

  it('the refusal is history: the app is not called removed from the device', async () => {
    const r = await diagnose(log());
    expect(cause(r, 'apns.app_removed')?.status).not.toBe('likely');
  });

  it('accepted first and refused later, the refusal is what holds now', async () => {
    const r = await diagnose(
      file(
        'provider.log',
        [
          `2026-11-30T10:00:00Z INFO apns: POST https://api.push.apple.com/3/device/${FIRST} status=200 apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c`,
          `2026-11-30T11:00:00Z WARN apns: POST https://api.push.apple.com/3/device/${FIRST} status=410 reason=Unregistered timestamp=1764493000000`,
          '',
        ].join('\n'),
      ),
    );
    expect(cause(r, 'apns.app_removed')?.status).toBe('likely');
  });
});

describe("Azure Notification Hubs' Test Send saying an Apple registration's handle is invalid", () => {
  it("the portal's result row: the hub's APNs environment and the app's build are probably mixed up", async () => {
    const r = await diagnose(
      file('test-send.txt', 'apple | 6321218213637372908-5225854469778412245-3 | The Push Notification System handle for the registration is invalid\n'),
    );
    expect(facts(r, 'apns.response').map((f) => f.value)).toEqual(['BadDeviceToken']);
    expect(cause(r, 'apns.environment_mismatch')?.status).toBe('likely');
  });

  it("the same outcome for an Android (fcmv1) registration is not APNs'", async () => {
    const r = await diagnose(
      file(
        'send.json',
        "{'applicationPlatform': 'fcmv1', 'registrationId': '6434333482963711563-7173100684780204633-3', 'outcome': 'The Push Notification System handle for the registration is invalid'}\n",
      ),
    );
    expect(facts(r, 'apns.response')).toEqual([]);
  });
});

describe("Pushy's response printed whole (SimplePushNotificationResponse)", () => {
  const response = (success: boolean, status: number, reason: string) =>
    `2026-11-30 10:15:04,002 INFO  PushService - SimplePushNotificationResponse{pushNotification=SimpleApnsPushNotification{token='${FIRST}', topic='com.example.shop'}, success=${success}, apnsId=7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d, statusCode=${status}, rejectionReason=${reason}, tokenExpirationTimestamp=Optional.empty}\n`;

  it('an accepted push: its apnsId is the key to look up in the Push Notifications Console', async () => {
    const r = await diagnose(file('pushy.log', response(true, 200, 'Optional.empty')));
    expect(facts(r, 'apns.apns_id').map((f) => f.value)).toEqual(['7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d']);
    expect(note(r, 'apns.note.look_up_apns_id')).toBeDefined();
  });

  it('a rejected push: the reason in Optional[…] is the answer', async () => {
    const r = await diagnose(file('pushy.log', response(false, 400, 'Optional[BadDeviceToken]')));
    expect(facts(r, 'apns.response').map((f) => [f.value, f.attrs.token])).toEqual([['BadDeviceToken', FIRST]]);
  });
});

describe("two tokens refused for the provider's own token (JWT), each with its own wording", () => {
  it('InvalidProviderToken for one and ExpiredProviderToken for the other: the provider token is still the fault', async () => {
    const r = await diagnose(
      file(
        'push-worker.log',
        [
          `2026-11-30T09:14:02.412Z error: apn failed { device: '${FIRST}', status: '403', response: { reason: 'InvalidProviderToken' } }`,
          `2026-11-30T09:14:02.413Z error: apn failed { device: '${SECOND}', status: '403', response: { reason: 'ExpiredProviderToken' } }`,
          '',
        ].join('\n'),
      ),
    );
    expect(cause(r, 'apns.provider_token')?.status).toBe('confirmed');
  });
});
