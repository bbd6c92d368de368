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
