import { describe, expect, it } from 'vitest';
import { cause, diagnose, facts, file } from './evidence.js';

/**
 * Troubleshooting step: "what did APNs answer?", read from server output that prints it in ways the
 * answer reader missed. Layouts follow public reports (named in each test); values are made up.
 */
describe('APNs answers in MDM and mail server output', () => {
  it("MicroMDM printing APNs's description alone on a line after queuing a command (micromdm #765): MissingTopic, for MDM", async () => {
    const r = await diagnose(
      file(
        'micromdm.log',
        [
          'transport=http method=POST status=201 proto=HTTP/1.1 host=10.20.1.7 user_agent=curl/7.29.0 path=/v1/commands',
          'level=info msg="queued event for device" device_udid=4F1A9C3E-0D8B-41F2-A4C7-5A1C0E2B77D4 command_uuid=e0b681ac-13f7-4d49-95f5-49afee9b6e1a request_type=InstallProfile',
          'the Topic header of the request was not specified and was required',
          '',
        ].join('\n'),
      ),
    );
    expect(facts(r, 'mdm.apns_response').map((f) => f.value)).toEqual(['MissingTopic']);
    expect(facts(r, 'apns.response')).toEqual([]);
    expect(cause(r, 'mdm.wrong_topic')?.status).toBe('likely');
  });

  it("Apple's phrase alone in a file of notes (no program's line in it) stays a sentence", async () => {
    const r = await diagnose(file('notes.txt', 'things to check\ndevice token has expired\n'), '--answer', 'q.case.domain=apns');
    expect(facts(r, 'apns.response')).toEqual([]);
  });

  it('the same words in a person\'s message are no answer ("not specified" is theirs to hedge)', async () => {
    const r = await diagnose('--paste', 'maybe the Topic header of the request was not specified and was required?', '--answer', 'q.case.domain=mdm');
    expect(facts(r, 'mdm.apns_response')).toEqual([]);
  });

  it("dovecot's xapsd logging Apple's 200 for a mail account's push (dovecot-xaps-plugin #6): APNs accepted it", async () => {
    const r = await diagnose(
      file(
        'mail.log',
        'Nov 20 09:44:51 mail xapsd[812]: Apple returned 200 for notification to alice@example.org / 3f1b9a2c7d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8\n',
      ),
    );
    expect(facts(r, 'apns.response').map((f) => f.value)).toEqual(['200']);
  });
});

describe('APNs answers that push services and libraries print in words', () => {
  const TOKEN = '0b9c2f4a7d5e8b1c3f6a9d2e0b7c4f1a8d5e2b9c6f5f1c0a9d2b7e4c3f8a6d1e';

  it("Braze's message activity log (Appboy/appboy-ios-sdk #271's layout): the reason, for the token it names", async () => {
    const r = await diagnose(file('activity.txt', `Received 'BadDeviceToken' sending error to ${TOKEN}\n`));
    expect(facts(r, 'apns.response').map((f) => [f.value, f.attrs.token])).toEqual([['BadDeviceToken', TOKEN]]);
  });

  it("Expo's receipt passing on APNs's reason and status (slopeninja-backend #2's layout)", async () => {
    const r = await diagnose(
      file(
        'receipt.txt',
        'The Apple Push Notification service failed to send the notification (reason: Unregistered, status code: 410). Read Apple\'s docs about "Communicating with APNs" to learn what this error means.\n',
      ),
    );
    expect(facts(r, 'apns.response').map((f) => [f.value, f.attrs.status])).toEqual([['Unregistered', '410']]);
  });

  it("gorush's failed-push line (gorush #351's layout): the reason, the token and the time, with no zone written", async () => {
    const r = await diagnose(
      file('gorush.log', `ERRO[2026/11/20 - 09:15:11] | failed-push | ios [${TOKEN}] | You have 2 new messages | Error Message: BadDeviceToken\n`),
    );
    expect(facts(r, 'apns.response').map((f) => [f.value, f.attrs.token, f.at, f.attrs.zone])).toEqual([
      ['BadDeviceToken', TOKEN, '2026-11-20T09:15:11.000Z', 'unknown'],
    ]);
  });

  it("a Python exception with its message at the end of a traceback (sygnal #105's layout)", async () => {
    const r = await diagnose(
      file(
        'sygnal.log',
        [
          '2026-11-20 10:05:36,030 [28411] WARNING sygnal.http [1fc01ce6] Failed to dispatch notification.',
          'Traceback (most recent call last):',
          '  File "/opt/sygnal/sygnal/apnspushkin.py", line 185, in _dispatch_request',
          'sygnal.exceptions.NotificationDispatchException: 400 BadDeviceToken',
          '',
        ].join('\n'),
      ),
    );
    expect(facts(r, 'apns.response').map((f) => [f.value, f.attrs.status])).toEqual([['BadDeviceToken', '400']]);
  });

  it('a person writing "Received \'BadDeviceToken\'…" about something else is still judged as a person: no answer without the token layout', async () => {
    const r = await diagnose('--paste', "we might have received 'BadDeviceToken' errors last year?", '--answer', 'q.case.domain=apns');
    expect(facts(r, 'apns.response')).toEqual([]);
  });

  it("Amazon SNS telling the retired interface's status with its meaning (PushSharp #196's report): an invalid token", async () => {
    const r = await diagnose(file('sns.txt', 'Status code: 8 - Invalid token\n'));
    expect(facts(r, 'apns.response').map((f) => [f.value, f.attrs.via, f.attrs.legacy_status])).toEqual([['BadDeviceToken', 'legacy', '8']]);
    const other = await diagnose(file('other.txt', 'Status code: 8 - Retrying later\n'), '--answer', 'q.case.domain=apns');
    expect(facts(other, 'apns.response')).toEqual([]);
  });
});
