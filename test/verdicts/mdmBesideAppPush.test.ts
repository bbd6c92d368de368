import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { APP_CHECKED_ANSWERS, cause, diagnose, facts, file, MAGIC, microPush, nanoLib, questionIds, TOKEN, TOPIC, UDID_A, UDID_B } from './evidence.js';

/**
 * An MDM server's push log beside an app's provider log, with no sysdiagnose: the engineer
 * has two kinds of push on the table, and the report must weigh both. A push the server log
 * shows going out on the MDM topic, or carrying a PushMagic, is an MDM push; a log of NotNow
 * statuses alone is still a NotNow case.
 */

/** The app's provider: APNs's HTTP/2 answers for the app's topic. */
const provider = () =>
  file(
    'provider.log',
    `${[
      '2026-11-20T10:00:00.120Z INFO  apns: connecting to api.push.apple.com:443',
      '2026-11-20T10:00:01.004Z INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c apns-topic=com.example.demo apns-push-type=alert status=200',
    ].join('\n')}\n`,
  );

/** An in-house MDM server that logs each push with the topic, PushMagic and token it sent (UTC stamps). */
const mdmPushLog = (lines: string[]) => file('mdm-server.log', `${lines.join('\n')}\n`);
const pushLine = (t: string, udid: string, extra: string) => `${t}Z [info] push sent udid=${udid} ${extra} status=200`;

describe('an MDM server push log beside an app provider log', () => {
  it('judges the MDM causes too when the push lines name the MDM topic, PushMagic and token', async () => {
    const server = mdmPushLog([pushLine('2026-11-20T10:02:00', UDID_A, `topic=${TOPIC} push_magic=${MAGIC} token=${TOKEN}`)]);
    const r = await diagnose(server, provider());
    expect(r.domains).toEqual(['mdm', 'apns']);
    // APNs took the MDM server's push: its certificate and network are fine, on the MDM side as on the app's.
    expect(cause(r, 'mdm.certificate_expired')?.status).toBe('ruled_out');
    expect(cause(r, 'mdm.server_network')?.status).toBe('ruled_out');
    expect(cause(r, 'apns.certificate_expired')?.status).toBe('ruled_out');
    // What the log already says is not asked: the kind of case, the server's topic, PushMagic and token.
    const asked = questionIds(r);
    for (const q of ['q.case.domain', 'q.mdm.server_topic', 'q.mdm.server_magic', 'q.mdm.server_token']) expect(asked).not.toContain(q);
    expect(asked).toContain('q.mdm.device_magic');
    expect(facts(r, 'server.topic').map((f) => f.value)).toEqual([TOPIC]);
  });

  it('judges the MDM causes when a push line names only its PushMagic', async () => {
    const r = await diagnose(mdmPushLog([pushLine('2026-11-20T10:02:00', UDID_A, `push_magic=${MAGIC}`)]), provider());
    expect(r.domains).toEqual(['mdm', 'apns']);
    expect(questionIds(r)).not.toContain('q.mdm.server_magic');
  });

  it('reads side by side in the text report: MDM and app causes each named, no domain question', async () => {
    const server = mdmPushLog([pushLine('2026-11-20T10:02:00', UDID_A, `topic=${TOPIC} push_magic=${MAGIC}`)]);
    const { code, out } = await cli('diagnose', server, provider());
    expect(code).toBe(0);
    expect(out).toContain('About: MDM push and app push notifications');
    expect(out).toContain('The MDM push certificate expired');
    expect(out).toContain("The provider's push certificate expired");
    expect(out).not.toContain('What kind of push problem is this?');
  });

  it("judges the MDM causes beside MicroMDM's push lines, which name no topic: an MDM server sends only MDM pushes", async () => {
    const server = file('micromdm.log', `${microPush('2026-11-20T10:02:00.412', UDID_A, '3f1e2d4c-5b6a-4978-8a9b-0c1d2e3f4a5b')}\n`);
    const r = await diagnose(server, provider());
    expect(r.domains).toEqual(['mdm', 'apns']);
    expect(cause(r, 'mdm.certificate_expired')?.status).toBe('ruled_out');
    expect(questionIds(r)).not.toContain('q.case.domain');
  });

  it('makes a MicroMDM push log alone an MDM case, not a question of what kind of push it is', async () => {
    const server = file('micromdm.log', `${microPush('2026-11-20T10:02:00.412', UDID_A, '3f1e2d4c-5b6a-4978-8a9b-0c1d2e3f4a5b')}\n`);
    const r = await diagnose(server);
    expect(r.domains).toEqual(['mdm']);
    expect(questionIds(r)).not.toContain('q.case.domain');
  });

  it("takes no device's PushMagic as the server's when the log pushes to several devices", async () => {
    const server = mdmPushLog([
      pushLine('2026-11-20T10:02:00', UDID_A, `topic=${TOPIC} push_magic=${MAGIC}`),
      pushLine('2026-11-20T10:02:01', UDID_B, `topic=${TOPIC} push_magic=2A9F6D3C-1B8E-4C7A-9D0F-5E4B3A2C1D0E`),
    ]);
    const r = await diagnose(server, provider());
    expect(r.domains).toEqual(['mdm', 'apns']);
    expect(facts(r, 'server.push_magic')).toEqual([]);
    expect(r.conflicts.map((c: { fact: string }) => c.fact)).not.toContain('server.push_magic');
  });

  it('takes the latest push line of the one device as the PushMagic the server uses now', async () => {
    const server = mdmPushLog([
      pushLine('2026-11-20T09:00:00', UDID_A, 'push_magic=2A9F6D3C-1B8E-4C7A-9D0F-5E4B3A2C1D0E'),
      pushLine('2026-11-20T10:02:00', UDID_A, `push_magic=${MAGIC}`),
    ]);
    const r = await diagnose(server);
    expect(facts(r, 'server.push_magic').map((f) => f.source)).toEqual([expect.stringMatching(/mdm-server\.log:2$/)]);
  });
});

describe('a NotNow server log', () => {
  it('stays a NotNow case although the server pushed: its push lines name neither MDM topic nor PushMagic', async () => {
    const device = '5A2F6C1E-3B7D-5E90-8C41-0D2E7A9B1F34';
    const cmd = '9b1e7c44-2f0a-4d6b-a8e3-51c2d7f0b6aa';
    const log = file(
      'nanomdm.log',
      `${[
        nanoLib('2024-03-04T09:14:58', `level=debug handler=api trace_id=8c1d0e3f5a7b9c21 msg=push id_count=1 id_first=${device} count=1 caller=do.go:41`),
        nanoLib('2024-03-04T09:15:02', `level=info service=nanomdm status=NotNow id=${device} type=Device command_uuid=${cmd}`),
      ].join('\n')}\n`,
    );
    const r = await diagnose(log, provider());
    expect(r.domains).not.toContain('mdm');
    expect(r.domains).toContain('notnow');
  });
});

describe("an MDM push that arrived beside an app's failing pushes", () => {
  // The MDM server's push was answered by the iPhone's poll a second later; the app's two pushes never
  // showed, and the team checked every app cause. The answered MDM push says nothing of the app's.
  const server = () =>
    file(
      'nanomdm.log',
      `${[
        nanoLib('2026-11-20T10:00:00', `level=info service=push msg=retrieved push cert topic=${TOPIC}`),
        nanoLib('2026-11-20T10:00:00', `level=debug handler=push msg=push count=1 errs=0 id_count=1 id_first=${UDID_A}`),
        nanoLib('2026-11-20T10:00:01', `level=info service=nanomdm status=Idle id=${UDID_A} type=Device`),
      ].join('\n')}\n`,
    );
  const failingApp = () =>
    file(
      'provider.log',
      `${[
        '2026-11-20T09:40:03.552Z WARN  apns: push failed: 400 BadDeviceToken apns-id=0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d apns-topic=com.example.demo',
        '2026-11-20T10:05:01.004Z INFO  apns: sent apns-id=5e3b1a2c-0d4f-4e6a-9b8c-7d6e5f4a3b2c apns-topic=com.example.demo apns-push-type=alert status=200',
      ].join('\n')}\n`,
    );
  const entitlements = fileURLToPath(new URL('../fixtures/apns/codesign_dict_production.txt', import.meta.url));

  it('is not "no fault found": the app pushes go to Apple, the MDM side held back', async () => {
    const r = await diagnose(server(), failingApp(), entitlements, ...APP_CHECKED_ANSWERS);
    expect(r.domains).toEqual(['mdm', 'apns']);
    expect(r.filing.status).toBe('ready');
    expect(r.filing.heldBack).toEqual(['mdm']);
    expect(r.headline).not.toMatch(/^No fault found/);
  });

  it("the Feedback draft is the app's: no MDM title, causes, enrollment or device of the MDM log", async () => {
    const { code, out } = await cli('feedback', server(), failingApp(), entitlements, ...APP_CHECKED_ANSWERS);
    expect(code).toBe(0);
    expect(out).toContain('Title: Push notifications to a device are accepted by APNs or refused (400 BadDeviceToken), and not delivered');
    expect(out).toContain('Push topic: com.example.demo');
    expect(out).not.toContain('The MDM push certificate expired');
    expect(out).not.toContain('Device holds an MDM enrollment');
    expect(out).not.toContain(UDID_A);
    expect(out).not.toContain('PushMagic');
  });

  it('with the MDM push answered and no app push on record, nothing goes to Apple', async () => {
    const r = await diagnose(server());
    expect(r.filing.status).toBe('push_answered');
    expect(r.headline).toMatch(/^No fault found/);
  });
});
