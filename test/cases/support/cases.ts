import {
  appPushCert,
  checkin,
  fleetJson,
  go,
  logShowCompact,
  logShowDefault,
  logShowNdjson,
  logShowSyslog,
  mdmPushCert,
  microPush,
  microStatus,
  nanoCheckin,
  nanoLib,
  nanoPush,
  nanoStatus,
  REJECTED,
  secureMailZip,
  sysdiagnose,
} from './formats.js';
import {
  APP,
  APP_TOKEN,
  MAGIC,
  NEW_TOPIC,
  OLD_MAGIC,
  RESTORED_TOKEN,
  RESTORED_TOKEN_HASH,
  TOKEN,
  TOKEN_HASH,
  TOPIC,
  UDID_A,
  UDID_B,
  UDID_C,
} from './values.js';

/** Writes one input of a case and returns its path. */
export type Put = (name: string, data: string | Buffer) => string;

/**
 * One support case as it reaches pushcheck: the files and pastes the
 * engineer brings and the flags they type. `argv` is what follows
 * `pushcheck diagnose`.
 */
export interface Case {
  id: string;
  /** What the engineer is looking at, in their words. */
  story: string;
  argv(put: Put): string[];
}

const lines = (...ls: (string | string[])[]) => `${ls.flat().join('\n')}\n`;
const SERVER = ['--topic', TOPIC, '--magic', MAGIC, '--token', TOKEN];
const sd = (put: Put, o: Parameters<typeof sysdiagnose>[0]) => {
  const b = sysdiagnose(o);
  return put(b.name, b.data);
};
const VALID_CERT = (put: Put) => put('mdm_push_cert.pem', mdmPushCert(TOPIC, '2023-11-20T10:00:00Z', '2024-11-19T10:00:00Z'));
const DEVICE = { topic: TOPIC, magic: MAGIC, tokenHash: TOKEN_HASH };

export const CASES: Case[] = [
  {
    id: 'healthy-mdm-round-trip',
    story:
      'NanoMDM (Go log prefix) pushes to the iPhone; the iPhone polls a second later and acknowledges the queued command. Sysdiagnose agrees with the server.',
    argv: (put) => [
      sd(put, { taken: '2024.05.07_09-02-00+0000', ...DEVICE, lastPollingSuccess: '2024-05-07T08:00:04Z' }),
      put(
        'nanomdm.log',
        lines(
          nanoPush(go, '2024-05-07T08:00:03', UDID_A, TOPIC),
          nanoStatus(go, '2024-05-07T08:00:04', UDID_A, 'Idle'),
          go(
            '2024-05-07T08:00:04',
            `level=info service=nanomdm msg=command retrieved id=${UDID_A} command_uuid=0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d request_type=DeviceInformation`,
          ),
          nanoStatus(go, '2024-05-07T08:00:05', UDID_A, 'Acknowledged', ' command_uuid=0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'),
        ),
      ),
      ...SERVER,
      '--now',
      '2024-05-07T10:00:00Z',
    ],
  },
  {
    id: 'healthy-app-push',
    story: "The chat app: the provider logs APNs 200 with an apns-id, and the iPhone's apsd log shows the message arriving for the app's topic.",
    argv: (put) => [
      put(
        'push-worker.log',
        lines(
          `2024-05-07T08:30:00.104Z INFO  push-worker sending alert topic=${APP} apns-id=6b1d3f5a-7c9e-4b2d-8f0a-1c3e5a7b9d2f host=api.push.apple.com`,
          `2024-05-07T08:30:00.211Z INFO  push-worker APNs accepted push apns-id=6b1d3f5a-7c9e-4b2d-8f0a-1c3e5a7b9d2f status=200`,
        ),
      ),
      put(
        'apsd.log',
        logShowDefault([
          [
            '2024-05-07 10:29:58.117203+0200',
            'apsd',
            '(PersistentConnection) [com.apple.apsd:connection] <APSCourier: 0x282f1c000>: Connected to courier 31-courier.push.apple.com (17.57.146.52:5223) connectionType WiFi',
          ],
          [
            '2024-05-07 10:30:00.412900+0200',
            'apsd',
            `[com.apple.apsd:courier] <APSCourier: 0x282f1c000>: Received message for enabled topic '${APP}' onInterface: NonCellular with payload '<private>' with priority 10`,
          ],
        ]),
      ),
    ],
  },
  {
    id: 'healthy-app-push-everything-checked',
    story:
      "The same delivered chat push, with the app's entitlements, its valid push certificate and the team's answers: every cause ruled out. The push arrived, so this is not one for Apple.",
    argv: (put) => [
      put('chat_push.pem', appPushCert(APP, '2024-01-10T00:00:00Z', '2025-01-10T00:00:00Z', { production: true })),
      put('Chat.entitlements', checkin({ 'aps-environment': 'production', 'application-identifier': `ABCDE12345.${APP}` })),
      put(
        'push-worker.log',
        lines(
          `2024-05-07T08:30:00.104Z INFO  push-worker sending alert topic=${APP} apns-id=6b1d3f5a-7c9e-4b2d-8f0a-1c3e5a7b9d2f host=api.push.apple.com`,
          `2024-05-07T08:30:00.211Z INFO  push-worker APNs accepted push apns-id=6b1d3f5a-7c9e-4b2d-8f0a-1c3e5a7b9d2f status=200`,
        ),
      ),
      put(
        'apsd.log',
        logShowDefault([
          [
            '2024-05-07 10:29:58.117203+0200',
            'apsd',
            '(PersistentConnection) [com.apple.apsd:connection] <APSCourier: 0x282f1c000>: Connected to courier 31-courier.push.apple.com (17.57.146.52:5223) connectionType WiFi',
          ],
          [
            '2024-05-07 10:30:00.412900+0200',
            'apsd',
            `[com.apple.apsd:courier] <APSCourier: 0x282f1c000>: Received message for enabled topic '${APP}' onInterface: NonCellular with payload '<private>' with priority 10`,
          ],
        ]),
      ),
      '--now',
      '2024-05-07T10:00:00Z',
      '--answer',
      'q.apns.some_delivered=no',
      '--answer',
      'q.apns.burst=no',
    ],
  },
  {
    id: 'wrong-topic-certificate-replaced',
    story:
      'Fleet: after the yearly certificate renewal pushes go out "completed" but no iPhone checks in. Someone created a new certificate instead of renewing; the iPhone still listens on the old topic.',
    argv: (put) => [
      sd(put, { taken: '2024.05.07_09-02-00+0000', ...DEVICE, lastPollingSuccess: '2024-04-29T17:12:40Z' }),
      put('fleet_apns_cert.pem', mdmPushCert(NEW_TOPIC, '2024-04-30T09:00:00Z', '2025-04-30T09:00:00Z')),
      put(
        'fleet.log',
        lines(
          fleetJson('2024-05-07T08:00:03.201', { component: 'apple_mdm_apns_pusher', msg: 'sending push', host_uuid: UDID_A, topic: NEW_TOPIC }),
          fleetJson('2024-05-07T08:00:03.588', { component: 'apple_mdm_apns_pusher', msg: 'completed', host_uuid: UDID_A, status: 200 }),
        ),
      ),
      '--now',
      '2024-05-07T10:00:00Z',
    ],
  },
  {
    id: 'wrong-topic-checkin-vs-certificate',
    story:
      'NanoMDM: the stored TokenUpdate carries the topic the iPhone enrolled with; the server now pushes with a certificate whose subject UID is another topic.',
    argv: (put) => [
      put('TokenUpdate.plist', checkin({ MessageType: 'TokenUpdate', Topic: TOPIC, UDID: UDID_A, PushMagic: MAGIC }, { Token: Buffer.from(TOKEN, 'hex') })),
      put('push.pem', mdmPushCert(NEW_TOPIC, '2024-04-30T09:00:00Z', '2025-04-30T09:00:00Z')),
      '--now',
      '2024-05-07T10:00:00Z',
    ],
  },
  {
    id: 'wrong-token-after-restore',
    story:
      "The iPhone was restored from a backup last week. The server still pushes (APNs 200) to the token it stored before; the sysdiagnose's LastPushTokenHash is the new token's.",
    argv: (put) => [
      sd(put, { taken: '2024.05.07_09-02-00+0000', topic: TOPIC, magic: MAGIC, tokenHash: RESTORED_TOKEN_HASH }),
      put(
        'nanomdm.log',
        lines(
          nanoPush(nanoLib, '2024-05-07T08:00:03', UDID_A, TOPIC),
          nanoPush(nanoLib, '2024-05-07T08:20:03', UDID_A, TOPIC),
          nanoStatus(nanoLib, '2024-05-07T08:45:00', UDID_B, 'Idle'),
        ),
      ),
      '--paste',
      `token from the DB: ${TOKEN}\nserver topic: ${TOPIC}\nPushMagic from nanomdm: ${MAGIC}`,
    ],
  },
  {
    id: 'wrong-magic-inside-window',
    story:
      'The server kept an old enrollment record after a lost CheckOut and pushes with its PushMagic. mdmd rejects the pushes; the sysdiagnose is from the same afternoon, within 25 hours of the first rejection.',
    argv: (put) => [
      sd(put, { taken: '2024.05.07_16-02-00+0200', ...DEVICE, mismatchMarker: '2024-05-07T08:00:04Z' }),
      put(
        'mdmd.log',
        logShowDefault([
          [
            '2024-05-07 10:00:04.118733+0200',
            'apsd',
            `[com.apple.apsd:courier] <APSCourier: 0x1>: Received message for enabled topic '${TOPIC}' onInterface: NonCellular with payload '<private>' with priority 10`,
          ],
          ['2024-05-07 10:00:04.201122+0200', 'mdmd', REJECTED],
          ['2024-05-07 14:00:07.554310+0200', 'mdmd', REJECTED],
        ]),
      ),
      '--paste',
      `server says topic is ${TOPIC}, magic ${OLD_MAGIC}`,
    ],
  },
  {
    id: 'wrong-magic-healed',
    story:
      'Rejected pushes on Monday; on Tuesday, 25.5 hours after the first, another push made the iPhone send a TokenUpdate with its PushMagic, which NanoMDM stored; pushes since are answered.',
    argv: (put) => [
      put(
        'mdmd.ndjson',
        logShowNdjson([
          ['2024-05-06 08:00:04.201122+0000', 'mdmd', REJECTED],
          ['2024-05-06 12:00:04.201122+0000', 'mdmd', REJECTED],
        ]),
      ),
      put(
        'nanomdm.log',
        lines(
          nanoPush(nanoLib, '2024-05-06T08:00:03', UDID_A, TOPIC),
          nanoPush(nanoLib, '2024-05-06T12:00:03', UDID_A, TOPIC),
          nanoPush(nanoLib, '2024-05-07T09:30:03', UDID_A, TOPIC),
          nanoCheckin(nanoLib, '2024-05-07T09:30:05', UDID_A, 'TokenUpdate'),
          nanoStatus(nanoLib, '2024-05-07T09:30:06', UDID_A, 'Idle'),
          nanoPush(nanoLib, '2024-05-07T10:00:03', UDID_A, TOPIC),
          nanoStatus(nanoLib, '2024-05-07T10:00:04', UDID_A, 'Idle'),
        ),
      ),
      put(
        'TokenUpdate-2024-05-07.plist',
        checkin({ MessageType: 'TokenUpdate', Topic: TOPIC, UDID: UDID_A, PushMagic: MAGIC }, { Token: Buffer.from(TOKEN, 'hex') }),
      ),
      sd(put, { taken: '2024.05.07_10-30-00+0000', ...DEVICE, lastPollingSuccess: '2024-05-07T10:00:04Z' }),
    ],
  },
  {
    id: 'unenrolled-lost-checkout',
    story:
      "The user removed the management profile while offline; the CheckOut never reached NanoMDM. APNs now answers the server's pushes 410 Unregistered; the sysdiagnose shows no MDM profile.",
    argv: (put) => [
      sd(put, { taken: '2024.05.07_09-02-00+0000', unenrolled: true }),
      put(
        'nanomdm.log',
        lines(
          nanoPush(go, '2024-05-07T08:00:03', UDID_A, TOPIC, 'push HTTP status: 410: APNs push error: Unregistered: timestamp 1715060000000'),
          nanoPush(go, '2024-05-07T08:30:03', UDID_A, TOPIC, 'push HTTP status: 410: APNs push error: Unregistered: timestamp 1715060000000'),
        ),
      ),
    ],
  },
  {
    id: 'notnow-loop',
    story: 'An iPad after a reboot: every push is answered, but each InstallProfile comes back NotNow; the server re-pushes every few minutes.',
    argv: (put) => [
      put(
        'nanomdm.log',
        lines(
          nanoPush(go, '2024-05-07T07:00:00', UDID_C, TOPIC),
          nanoStatus(go, '2024-05-07T07:00:01', UDID_C, 'Idle'),
          go(
            '2024-05-07T07:00:01',
            `level=info service=nanomdm msg=command retrieved id=${UDID_C} command_uuid=7f3e1d2c-0b9a-4c8d-9e7f-6a5b4c3d2e1f request_type=InstallProfile`,
          ),
          nanoStatus(go, '2024-05-07T07:00:02', UDID_C, 'NotNow', ' command_uuid=7f3e1d2c-0b9a-4c8d-9e7f-6a5b4c3d2e1f'),
          nanoPush(go, '2024-05-07T07:05:00', UDID_C, TOPIC),
          nanoStatus(go, '2024-05-07T07:05:01', UDID_C, 'Idle'),
          go(
            '2024-05-07T07:05:01',
            `level=info service=nanomdm msg=command retrieved id=${UDID_C} command_uuid=7f3e1d2c-0b9a-4c8d-9e7f-6a5b4c3d2e1f request_type=InstallProfile`,
          ),
          nanoStatus(go, '2024-05-07T07:05:02', UDID_C, 'NotNow', ' command_uuid=7f3e1d2c-0b9a-4c8d-9e7f-6a5b4c3d2e1f'),
          nanoPush(go, '2024-05-07T07:10:00', UDID_C, TOPIC),
          nanoStatus(go, '2024-05-07T07:10:01', UDID_C, 'Idle'),
          go(
            '2024-05-07T07:10:01',
            `level=info service=nanomdm msg=command retrieved id=${UDID_C} command_uuid=7f3e1d2c-0b9a-4c8d-9e7f-6a5b4c3d2e1f request_type=InstallProfile`,
          ),
          nanoStatus(go, '2024-05-07T07:10:02', UDID_C, 'NotNow', ' command_uuid=7f3e1d2c-0b9a-4c8d-9e7f-6a5b4c3d2e1f'),
        ),
      ),
    ],
  },
  {
    id: 'mdm-certificate-expired',
    story: 'MicroMDM: every push fails with a TLS "internal error" since the MDM push certificate lapsed on April 30.',
    argv: (put) => [
      put('mdm_push.pem', mdmPushCert(TOPIC, '2023-04-30T09:00:00Z', '2024-04-30T09:00:00Z')),
      put(
        'micromdm.log',
        lines(
          microPush('2024-05-07T08:00:03.118204', UDID_A, null, `Post "https://api.push.apple.com/3/device/${TOKEN}": remote error: tls: internal error`),
          microPush(
            '2024-05-07T08:00:04.220911',
            UDID_B,
            null,
            `Post "https://api.push.apple.com/3/device/${RESTORED_TOKEN}": remote error: tls: internal error`,
          ),
        ),
      ),
      '--now',
      '2024-05-07T10:00:00Z',
    ],
  },
  {
    id: 'app-wrong-environment',
    story: 'A development build of the chat app; the production provider pushes to its token and APNs answers BadDeviceToken.',
    argv: (put) => [
      put(
        'codesign.txt',
        [
          'Executable=/Users/dev/Library/Developer/Xcode/DerivedData/Chat/Build/Products/Debug-iphoneos/Chat.app/Chat',
          '[Dict]',
          '\t[Key] application-identifier',
          '\t[Value]',
          `\t\t[String] ABCDE12345.${APP}`,
          '\t[Key] aps-environment',
          '\t[Value]',
          '\t\t[String] development',
          '',
        ].join('\n'),
      ),
      put(
        'push-worker.log',
        lines(
          `2024-05-07T08:30:00.104Z INFO  push-worker sending alert topic=${APP} apns-id=0c2e4a6b-8d1f-4a3c-9e5b-7d0f2a4c6e8b host=api.push.apple.com`,
          `2024-05-07T08:30:00.190Z WARN  push-worker APNs rejected push apns-id=0c2e4a6b-8d1f-4a3c-9e5b-7d0f2a4c6e8b status=400 {"reason":"BadDeviceToken"}`,
        ),
      ),
    ],
  },
  {
    id: 'securemail-push-disabled-policy',
    story: "Secure Mail on an iPhone shows no new-mail notifications; the app's log bundle has push switched off by policy.",
    argv: (put) => [
      put(
        'SecureMail_logs.zip',
        secureMailZip([
          {
            name: 'CtxLog_AppPolicies.xml',
            data: [
              '<?xml version="1.0" encoding="UTF-8"?>',
              '<AppPolicies app="Secure Mail">',
              '  <policy name="ExchangeServer" value="mail.example.com"/>',
              '  <policy name="PushNotificationsEnabled" value="false"/>',
              '  <policy name="PushNotificationsListenerServiceHostName" value="us-east-1.mailboxlistener.xm.citrix.com"/>',
              '  <policy name="PushNotificationsTenantId" value=""/>',
              '</AppPolicies>',
              '',
            ].join('\n'),
          },
          {
            name: 'CtxLog_SecureMail.csv',
            data: [
              'Date,Category,Module,Message',
              '07-May-2024 09:00:00:000 (+0000),INFO,Secure Mail.Application,Application did become active',
              '07-May-2024 09:00:00:100 (+0000),INFO,Secure Mail.APNS,Push notifications are disabled by policy; not subscribing',
            ].join('\r\n'),
          },
        ]),
      ),
    ],
  },
  {
    id: 'all-match-failed-push-logged',
    story:
      'Everything agrees (topic, token, PushMagic, certificate valid); MicroMDM logged two pushes APNs accepted with their apns-ids; the iPhone never came. The network was checked.',
    argv: (put) => [
      sd(put, {
        taken: '2024.05.07_09-02-00+0000',
        ...DEVICE,
        lastPollingSuccess: '2024-05-07T07:40:11Z',
        logging: [
          { kind: 'ManagedConfiguration', installed: '2024-05-06T17:00:00Z' },
          { kind: 'APNS', installed: '2024-05-06T17:01:00Z' },
        ],
      }),
      VALID_CERT(put),
      put(
        'micromdm.log',
        lines(
          microPush('2024-05-07T08:00:03.118204', UDID_A, '4E1F7A2B-9C3D-4E5F-8A6B-7C8D9E0F1A2B'),
          microPush('2024-05-07T08:15:00.771349', UDID_A, '5F2A8B3C-0D4E-4F6A-9B7C-8D9E0F1A2B3C'),
        ),
      ),
      ...SERVER,
      '--now',
      '2024-05-07T10:00:00Z',
      '--answer',
      'q.mdm.network_ok=yes',
      '--answer',
      'q.mdm.server_reachable=yes',
    ],
  },
  {
    id: 'all-match-no-server-log',
    story: "Everything agrees and the certificate is valid, but nobody has the MDM server's push log yet.",
    argv: (put) => [
      sd(put, { taken: '2024.05.07_09-02-00+0000', ...DEVICE, lastPollingSuccess: '2024-05-07T07:40:11Z' }),
      VALID_CERT(put),
      ...SERVER,
      '--now',
      '2024-05-07T10:00:00Z',
      '--answer',
      'q.mdm.network_ok=yes',
      '--answer',
      'q.mdm.server_reachable=yes',
    ],
  },
  {
    id: 'all-match-no-failed-push',
    story:
      'Everything agrees and the certificate is valid; the MicroMDM log shows APNs accepting pushes to other iPhones, but none to this one: no failed push is on record.',
    argv: (put) => [
      sd(put, { taken: '2024.05.07_09-02-00+0000', ...DEVICE, lastPollingSuccess: '2024-05-07T07:40:11Z' }),
      VALID_CERT(put),
      put(
        'micromdm.log',
        lines(
          microPush('2024-05-07T07:58:12.402113', UDID_B, '1C2D3E4F-5A6B-4C7D-8E9F-0A1B2C3D4E5F'),
          microPush('2024-05-07T08:05:41.902553', UDID_C, '2D3E4F5A-6B7C-4D8E-9F0A-1B2C3D4E5F6A'),
        ),
      ),
      ...SERVER,
      '--answer',
      `q.case.device=${UDID_A}`,
      '--now',
      '2024-05-07T10:00:00Z',
      '--answer',
      'q.mdm.network_ok=yes',
      '--answer',
      'q.mdm.server_reachable=yes',
      '--answer',
      'q.mdm.push_soon_after_enrollment=no',
    ],
  },
  {
    id: 'several-devices-one-log',
    story: 'A MicroMDM log with pushes to three iPhones; two answer, one does not. Nobody said which iPhone the ticket is about.',
    argv: (put) => [
      put(
        'micromdm.log',
        lines(
          microPush('2024-05-07T08:00:03.118204', UDID_A, '4E1F7A2B-9C3D-4E5F-8A6B-7C8D9E0F1A2B'),
          microPush('2024-05-07T08:00:03.220911', UDID_B, '1C2D3E4F-5A6B-4C7D-8E9F-0A1B2C3D4E5F'),
          microPush('2024-05-07T08:00:03.301002', UDID_C, '2D3E4F5A-6B7C-4D8E-9F0A-1B2C3D4E5F6A'),
          microStatus('2024-05-07T08:00:04.512', UDID_B, 'Idle', ''),
          microStatus('2024-05-07T08:00:05.104', UDID_C, 'Acknowledged', '3f1e2d4c-5b6a-4798-8a0b-1c2d3e4f5a6b', 'DeviceInformation'),
          microStatus('2024-05-07T08:10:00.000', UDID_C, 'Idle', ''),
        ),
      ),
      '--topic',
      TOPIC,
    ],
  },
  {
    id: 'zone-less-server-log-beside-device-log',
    story:
      "NanoMDM (Go prefix, server in Berlin) and the iPhone's `log show --style syslog` export with +0200: an apsd receipt and an mdmclient poll right after the push, on the device's clock.",
    argv: (put) => [
      put(
        'nanomdm.log',
        lines(nanoPush(go, '2024-05-07T10:00:03', UDID_A, TOPIC), go('2024-05-07T10:30:00', `level=info service=push msg=retrieved push cert topic=${TOPIC}`)),
      ),
      put(
        'device-syslog.log',
        logShowSyslog([
          [
            '2024-05-07 10:00:04.118733+0200',
            'apsd',
            `Received message for enabled topic '${TOPIC}' onInterface: NonCellular with payload '<private>' with priority 10`,
          ],
          ['2024-05-07 10:00:04.801002+0200', 'mdmclient', '[com.apple.ManagedClient:MDMDaemon] Received HTTP response (200) [Idle]'],
        ]),
      ),
      '--topic',
      TOPIC,
    ],
  },
  {
    id: 'masked-values-pasted',
    story: "Someone pasted the server's record from a ticket where the values were masked before sharing.",
    argv: (put) => [
      sd(put, { taken: '2024.05.07_09-02-00+0000', ...DEVICE }),
      '--paste',
      ['MDM says:', 'topic: com.apple.mgmt.External.XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX', 'magic: <redacted>', 'token: ****************'].join('\n'),
    ],
  },
  {
    id: 'garbled-magic-pasted',
    story: "The server's PushMagic, retyped by hand in Slack with a run of repeated digits and a missing group.",
    argv: (put) => [
      sd(put, { taken: '2024.05.07_09-02-00+0000', ...DEVICE }),
      '--paste',
      `PushMagic from nanomdm: D3A4C1B2-7E8F11111111111111-8C0D-1E2F3A4B5C6D\nserver topic: ${TOPIC}`,
    ],
  },
  {
    id: 'old-410-superseded-by-re-enrollment',
    story:
      "Last week APNs answered 410 while the iPhone was unenrolled; it re-enrolled two days ago (Authenticate, TokenUpdate) and today's pushes are accepted but unanswered.",
    argv: (put) => [
      sd(put, { taken: '2024.05.07_09-02-00+0000', ...DEVICE, mdmInstalled: '2024-05-05T11:20:00Z' }),
      put(
        'nanomdm.log',
        lines(
          nanoPush(nanoLib, '2024-05-01T08:00:03', UDID_A, TOPIC, 'push HTTP status: 410: APNs push error: Unregistered: timestamp 1714550400000'),
          nanoCheckin(nanoLib, '2024-05-05T11:20:01', UDID_A, 'Authenticate'),
          nanoCheckin(nanoLib, '2024-05-05T11:20:03', UDID_A, 'TokenUpdate'),
          nanoStatus(nanoLib, '2024-05-05T11:20:05', UDID_A, 'Idle'),
          nanoPush(nanoLib, '2024-05-07T08:00:03', UDID_A, TOPIC),
          nanoPush(nanoLib, '2024-05-07T08:30:03', UDID_A, TOPIC),
          nanoStatus(nanoLib, '2024-05-07T08:45:00', UDID_B, 'Idle'),
        ),
      ),
      ...SERVER,
      '--answer',
      `q.case.device=${UDID_A}`,
    ],
  },
  {
    id: 'mdm-and-app-push-side-by-side',
    story:
      "One ticket, two complaints: MDM commands arrive (NanoMDM push answered), but the chat app's notifications do not (its development build gets pushes from the production provider).",
    argv: (put) => [
      put('nanomdm.log', lines(nanoPush(nanoLib, '2024-05-07T08:00:03', UDID_A, TOPIC), nanoStatus(nanoLib, '2024-05-07T08:00:04', UDID_A, 'Idle'))),
      put(
        'push-worker.log',
        lines(
          `2024-05-07T08:30:00.104Z INFO  push-worker sending alert topic=${APP} apns-id=0c2e4a6b-8d1f-4a3c-9e5b-7d0f2a4c6e8b host=api.push.apple.com`,
          `2024-05-07T08:30:00.190Z WARN  push-worker APNs rejected push apns-id=0c2e4a6b-8d1f-4a3c-9e5b-7d0f2a4c6e8b status=400 {"reason":"BadDeviceToken"}`,
        ),
      ),
      put('Chat.entitlements', checkin({ 'aps-environment': 'development', 'application-identifier': `ABCDE12345.${APP}` })),
      ...SERVER,
    ],
  },
  {
    id: 'micromdm-no-push-info',
    story: 'MicroMDM refuses to push: it has no PushInfo for the iPhone (its TokenUpdate never reached the server).',
    argv: (put) => [
      put(
        'micromdm.log',
        lines(
          `level=info ts=2024-05-07T08:00:03.52Z component=apns method=Push udid=${UDID_A} err="retrieving PushInfo by UDID: not found: PushInfo udid ${UDID_A} not found"`,
        ),
      ),
    ],
  },
  {
    id: 'mdm-server-api-500',
    story: "The engineer called NanoMDM's push API with curl; the server answered 500 because it holds no push data for that id. Not an APNs answer.",
    argv: (put) => [
      put(
        'curl-push.txt',
        [
          `> PUT /v1/push/${UDID_A} HTTP/1.1`,
          '> Host: mdm.example.test',
          '> Authorization: Basic <redacted>',
          '>',
          '< HTTP/1.1 500 Internal Server Error',
          '< Content-Type: application/json',
          '<',
          `{"status":{"${UDID_A}":{"push_error":"push data missing for id: ${UDID_A}"}},"push_error":"push data missing for id: ${UDID_A}"}`,
          '',
        ].join('\n'),
      ),
    ],
  },
  {
    id: 'enrollment-race',
    story: 'NanoMDM (NanoLIB, milliseconds) pushed 0.3 s after the enrollment TokenUpdate, never retried, and the iPhone has not come since.',
    argv: (put) => [
      put(
        'nanomdm.log',
        lines(
          nanoCheckin(nanoLib, '2024-05-07T08:00:00.100', UDID_A, 'Authenticate'),
          nanoCheckin(nanoLib, '2024-05-07T08:00:02.100', UDID_A, 'TokenUpdate'),
          nanoPush(nanoLib, '2024-05-07T08:00:02.400', UDID_A, TOPIC),
          nanoStatus(nanoLib, '2024-05-07T09:00:00.000', UDID_B, 'Idle'),
        ),
      ),
    ],
  },
  {
    id: 'device-dns-failure',
    story:
      "The iPhone sits on a guest Wi-Fi whose DNS cannot resolve Apple's courier; Console copy of apsd lines, and NanoMDM's accepted pushes go unanswered.",
    argv: (put) => [
      put(
        'console.txt',
        [
          'default  10:24:12.757668+0200  apsd  _CFNetworkIsConnectedToInternet returning 1, flagsValid: 1, flags: 0x2',
          'error  10:24:12.757893+0200  apsd  Task <5C0E7A91-2B44-4F0D-9E3A-61D7C2B8F014>.<1> HTTP load failed, 0/0 bytes (error code: -1003 [12:8])',
          'error  10:24:12.758038+0200  apsd  Task <5C0E7A91-2B44-4F0D-9E3A-61D7C2B8F014>.<1> finished with error [-1003] Error Domain=NSURLErrorDomain Code=-1003 "A server with the specified hostname could not be found." UserInfo={NSErrorFailingURLStringKey=<private>, NSLocalizedDescription=A server with the specified hostname could not be found.}',
          '',
        ].join('\n'),
      ),
      put('nanomdm.log', lines(nanoPush(nanoLib, '2024-05-07T08:24:00', UDID_A, TOPIC), nanoStatus(nanoLib, '2024-05-07T08:50:00', UDID_B, 'Idle'))),
      sd(put, { taken: '2024.05.07_10-40-00+0200', ...DEVICE }),
      ...SERVER,
    ],
  },
  {
    id: 'app-provider-token-expired',
    story: 'The provider signs with a JWT it never refreshes; APNs answers 403 ExpiredProviderToken.',
    argv: (put) => [
      put(
        'provider.log',
        lines(
          `2024-05-07T09:30:00.104Z INFO  push-worker sending alert topic=${APP} apns-id=3b9e1f70-5c2a-4d8e-9b61-0a7c4e2f1d58 host=api.push.apple.com`,
          '2024-05-07T09:30:00.212Z WARN  push-worker APNs rejected push apns-id=3b9e1f70-5c2a-4d8e-9b61-0a7c4e2f1d58 status=403 {"reason":"ExpiredProviderToken"}',
        ),
      ),
    ],
  },
  {
    id: 'prose-mentions-reasons',
    story: 'A Slack thread where people talk about reasons without any APNs answer in it.',
    argv: (put) => [
      sd(put, { taken: '2024.05.07_09-02-00+0000', ...DEVICE }),
      '--paste',
      'Last year we had BadCertificate issues with this MDM; not now. I do not think it is ExpiredToken either. If APNs answers PayloadTooLarge we will see it in the log. Check for BadDeviceToken later.',
    ],
  },
  {
    id: 'mdm-domain-with-apsd-mgmt-receipt',
    story: "An MDM case: apsd logged the MDM topic's message arriving, then mdmd rejected it. The engineer says it is an MDM case.",
    argv: (put) => [
      put(
        'apsd-mdmd.log',
        logShowCompact([
          [
            '2024-05-07 10:00:04.118+0200',
            'apsd',
            `[com.apple.apsd:courier] <APSCourier: 0x1>: Received message for enabled topic '${TOPIC}' onInterface: NonCellular with payload '<private>' with priority 10`,
          ],
          ['2024-05-07 10:00:04.201+0200', 'mdmd', REJECTED],
        ]),
      ),
      '--answer',
      'q.case.domain=mdm',
    ],
  },
  {
    id: 'mdm-410-device-still-answers-commands',
    story:
      "APNs answers 410 to the server's push, yet the iPhone (its own mdmclient log) is still enrolled and processing commands: the server holds a stale token.",
    argv: (put) => [
      put(
        'nanomdm.log',
        lines(nanoPush(go, '2024-05-07T08:00:03', UDID_A, TOPIC, 'push HTTP status: 410: APNs push error: Unregistered: timestamp 1715060000000')),
      ),
      put(
        'mdmclient.log',
        logShowDefault([
          ['2024-05-07 09:15:02.118733+0000', 'mdmclient', '[com.apple.ManagedClient:MDMDaemon] Processing server request: DeviceInformation for: <Device>'],
          [
            '2024-05-07 09:15:02.418733+0000',
            'mdmclient',
            "[com.apple.ManagedClient:MDMDaemon] Received HTTP response (200) [Acknowledged(DeviceInformation):'0F6C2A31-91B4-4A52-8D3B-6E1C5A7B9D20'] - No more commands",
          ],
        ]),
      ),
    ],
  },
  {
    id: 'mdm-topic-disallowed',
    story: "NanoMDM's pushes come back 400 TopicDisallowed: the certificate the server loaded is not the MDM push certificate for its topic.",
    argv: (put) => [put('nanomdm.log', lines(nanoPush(go, '2024-05-07T08:00:03', UDID_A, TOPIC, 'push HTTP status: 400: APNs push error: TopicDisallowed')))],
  },
  {
    id: 'wrong-magic-syslog-and-checkin',
    story: "An older iPad: syslog-style PersistentConnection log with rejections, and the server's stored TokenUpdate from an earlier enrollment.",
    argv: (put) => [
      put(
        'ipad-syslog.log',
        [
          'May  7 10:00:04 Annas-iPad mdmd[241] <Notice>: MDM|Rejecting MDM push dictionary because it does not have the right magic string.',
          'May  7 10:05:04 Annas-iPad mdmd[241] <Notice>: MDM|Rejecting MDM push dictionary because it does not have the right magic string.',
          '',
        ].join('\n'),
      ),
      put(
        'TokenUpdate-2023.plist',
        checkin({ MessageType: 'TokenUpdate', Topic: TOPIC, UDID: UDID_C, PushMagic: OLD_MAGIC }, { Token: Buffer.from(TOKEN, 'hex') }),
      ),
      sd(put, { taken: '2024.05.07_10-10-00+0000', ...DEVICE, model: 'iPad' }),
    ],
  },
  {
    id: 'app-push-console-offline',
    story: "The app team looked up an apns-id in Apple's Push Notifications Console: stored, device offline.",
    argv: () => [
      '--paste',
      [
        'Push Notifications Console — Delivery Log',
        'apns-id: 7d2e9c41-0b5a-4f3e-8c16-a94d2b7e05f1',
        'May 7, 2024 09:05:12  Received by APNs',
        'May 7, 2024 09:05:12  Stored - Device Offline',
      ].join('\n'),
    ],
  },
  {
    id: 'app-certificate-expired',
    story: 'An app push certificate that expired; the provider logs a TLS expired-certificate failure.',
    argv: (put) => [
      put('chat_push.pem', appPushCert(APP, '2023-04-01T00:00:00Z', '2024-04-01T00:00:00Z', { production: true })),
      put(
        'provider.log',
        lines(`2024-05-07T08:30:00.104Z ERROR apns: Post "https://api.push.apple.com/3/device/${APP_TOKEN}": remote error: tls: expired certificate`),
      ),
      '--now',
      '2024-05-07T10:00:00Z',
    ],
  },
  {
    id: 'app-all-match-failed-push',
    story:
      'The chat app is signed for production, the provider pushes to production with a valid certificate, APNs answers 200, the iPhone holds its push connection, yet the notification never arrives.',
    argv: (put) => [
      put('chat_push.pem', appPushCert(APP, '2024-01-10T00:00:00Z', '2025-01-10T00:00:00Z', { production: true })),
      put('Chat.entitlements', checkin({ 'aps-environment': 'production', 'application-identifier': `ABCDE12345.${APP}` })),
      put(
        'push-worker.log',
        lines(
          `2024-05-07T08:30:00.104Z INFO  push-worker sending alert topic=${APP} apns-id=6b1d3f5a-7c9e-4b2d-8f0a-1c3e5a7b9d2f host=api.push.apple.com`,
          `2024-05-07T08:30:00.211Z INFO  push-worker APNs accepted push apns-id=6b1d3f5a-7c9e-4b2d-8f0a-1c3e5a7b9d2f status=200`,
        ),
      ),
      put(
        'apsd.log',
        logShowDefault([
          [
            '2024-05-07 10:29:58.117203+0200',
            'apsd',
            '(PersistentConnection) [com.apple.apsd:connection] <APSCourier: 0x282f1c000>: Connected to courier 31-courier.push.apple.com (17.57.146.52:5223) connectionType WiFi',
          ],
        ]),
      ),
      '--now',
      '2024-05-07T10:00:00Z',
      '--answer',
      'q.mdm.network_ok=yes',
      '--answer',
      'q.apns.some_delivered=no',
      '--answer',
      'q.apns.burst=no',
      // Nor that the provider's token is the app's current one (a token from before a restore is still accepted).
      '--answer',
      'q.apns.token_fresh=yes',
      // APNs' 200 does not show the app is still there (TN2265: a removed app's token can keep being accepted).
      '--answer',
      'q.apns.app_installed=yes',
    ],
  },
  {
    id: 'app-accepted-push-app-maybe-removed',
    story: 'As above, but nobody has checked the app is still on the iPhone: APNs answering 200 does not say so.',
    argv: (put) => {
      const all = byIdOf('app-all-match-failed-push').argv(put);
      return all.slice(0, all.indexOf('q.apns.app_installed=yes') - 1);
    },
  },
  {
    id: 'topic-superseded-by-re-enrollment',
    story:
      'The server replaced its certificate in April; the iPhone was re-enrolled on May 6 and its new TokenUpdate carries the new topic. The old TokenUpdate from 2023 is still in the ticket.',
    argv: (put) => [
      put(
        'TokenUpdate-2023-05-02.plist',
        checkin({ MessageType: 'TokenUpdate', Topic: TOPIC, UDID: UDID_A, PushMagic: OLD_MAGIC }, { Token: Buffer.from(TOKEN, 'hex') }),
      ),
      put(
        'nanomdm.log',
        lines(
          nanoCheckin(nanoLib, '2024-05-06T11:20:01', UDID_A, 'Authenticate'),
          nanoCheckin(nanoLib, '2024-05-06T11:20:03', UDID_A, 'TokenUpdate'),
          nanoPush(nanoLib, '2024-05-07T08:00:03', UDID_A, NEW_TOPIC),
        ),
      ),
      put(
        'TokenUpdate-2024-05-06.plist',
        checkin({ MessageType: 'TokenUpdate', Topic: NEW_TOPIC, UDID: UDID_A, PushMagic: MAGIC }, { Token: Buffer.from(RESTORED_TOKEN, 'hex') }),
      ),
      put('push.pem', mdmPushCert(NEW_TOPIC, '2024-04-30T09:00:00Z', '2025-04-30T09:00:00Z')),
      sd(put, { taken: '2024.05.07_09-02-00+0000', topic: NEW_TOPIC, magic: MAGIC, tokenHash: RESTORED_TOKEN_HASH, mdmInstalled: '2024-05-06T11:20:00Z' }),
      '--now',
      '2024-05-07T10:00:00Z',
    ],
  },
  {
    id: 'polled-right-after-push',
    story: 'MicroMDM logged a push APNs accepted; the sysdiagnose shows the iPhone polled the server successfully two seconds later. Everything matches.',
    argv: (put) => [
      sd(put, { taken: '2024.05.07_09-02-00+0000', ...DEVICE, lastPollingSuccess: '2024-05-07T08:00:05Z' }),
      VALID_CERT(put),
      put('micromdm.log', lines(microPush('2024-05-07T08:00:03.118204', UDID_A, '4E1F7A2B-9C3D-4E5F-8A6B-7C8D9E0F1A2B'))),
      ...SERVER,
      '--now',
      '2024-05-07T10:00:00Z',
      '--answer',
      'q.mdm.network_ok=yes',
      '--answer',
      'q.mdm.server_reachable=yes',
    ],
  },
  {
    id: 'checkout-received',
    story: "NanoMDM received the iPhone's CheckOut yesterday; today's pushes get 410 Unregistered.",
    argv: (put) => [
      put(
        'nanomdm.log',
        lines(
          nanoCheckin(go, '2024-05-06T17:40:12', UDID_A, 'CheckOut'),
          nanoPush(go, '2024-05-07T08:00:03', UDID_A, TOPIC, 'push HTTP status: 410: APNs push error: Unregistered: timestamp 1715017212000'),
        ),
      ),
    ],
  },
  {
    id: 'slack-thread-mdm-values-and-apns-answer',
    story:
      'A Slack thread: the MDM server\'s values under a header, then "APNs returned 200 at 08:00:03 UTC on 2024-05-07 for UDID …, apns-id …. The phone never checked in." Everything matches.',
    argv: (put) => [
      sd(put, { taken: '2024.05.07_09-02-00+0000', ...DEVICE, lastPollingSuccess: '2024-05-07T07:40:11Z' }),
      VALID_CERT(put),
      '--paste',
      ['MDM says:', `topic: ${TOPIC}`, `magic: ${MAGIC}`, `token: ${TOKEN}`].join('\n'),
      '--paste',
      `APNs returned 200 at 08:00:03 UTC on 2024-05-07 for UDID ${UDID_A}, apns-id 4E1F7A2B-9C3D-4E5F-8A6B-7C8D9E0F1A2B. The phone never checked in.`,
      '--now',
      '2024-05-07T10:00:00Z',
      '--answer',
      'q.mdm.network_ok=yes',
      '--answer',
      'q.mdm.server_reachable=yes',
    ],
  },
  {
    id: 'slack-thread-apns-answer-without-date',
    story: 'An MDM case (sysdiagnose, the server\'s topic) where someone writes "APNs returned 200 at 09:05": the MDM server\'s push answer, with no date.',
    argv: (put) => [
      sd(put, { taken: '2024.05.07_09-02-00+0000', ...DEVICE, lastPollingSuccess: '2024-05-07T07:40:11Z' }),
      ...SERVER,
      '--paste',
      'APNs returned 200 at 09:05',
    ],
  },
  {
    id: 'stale-rejection-then-polls',
    story:
      "A week-old mdmd wrong-magic rejection in the log someone attached; since then the server's record was fixed (its PushMagic is the device's) and the iPhone polled this morning.",
    argv: (put) => [
      sd(put, { taken: '2024.05.07_09-02-00+0000', ...DEVICE, lastPollingSuccess: '2024-05-07T07:40:11Z' }),
      put('mdmd-last-week.log', logShowDefault([['2024-04-29 10:00:04.201122+0000', 'mdmd', REJECTED]])),
      '--topic',
      TOPIC,
      '--magic',
      MAGIC,
    ],
  },
  {
    id: 'stale-rejection-before-failing-push',
    story: "The same week-old rejection, the server's PushMagic now the device's, and today's push unanswered with no rejection of its own.",
    argv: (put) => [
      sd(put, { taken: '2024.05.07_09-02-00+0000', ...DEVICE, lastPollingSuccess: '2024-05-07T07:40:11Z' }),
      put('mdmd-last-week.log', logShowDefault([['2024-04-29 10:00:04.201122+0000', 'mdmd', REJECTED]])),
      put('nanomdm.log', lines(nanoPush(nanoLib, '2024-05-07T08:00:03', UDID_A, TOPIC))),
      '--topic',
      TOPIC,
      '--magic',
      MAGIC,
    ],
  },
  {
    id: 'all-match-failed-push-zone-less',
    story: 'Everything agrees; NanoMDM (Go log prefix, no zone) logged two pushes the iPhone never answered. The logging profiles were on since yesterday.',
    argv: (put) => [
      sd(put, {
        taken: '2024.05.07_09-02-00+0000',
        ...DEVICE,
        lastPollingSuccess: '2024-05-06T07:40:11Z',
        logging: [
          { kind: 'ManagedConfiguration', installed: '2024-05-06T17:00:00Z' },
          { kind: 'APNS', installed: '2024-05-06T17:01:00Z' },
        ],
      }),
      VALID_CERT(put),
      put(
        'nanomdm.log',
        lines(
          nanoPush(go, '2024-05-07T10:00:03', UDID_A, TOPIC),
          nanoPush(go, '2024-05-07T10:15:03', UDID_A, TOPIC),
          go('2024-05-07T10:45:00', `level=info service=push msg=retrieved push cert topic=${TOPIC}`),
        ),
      ),
      ...SERVER,
      '--now',
      '2024-05-07T12:00:00Z',
      '--answer',
      'q.mdm.network_ok=yes',
      '--answer',
      'q.mdm.server_reachable=yes',
    ],
  },
  {
    id: 'securemail-listener-500',
    story: "Secure Mail's policies are right, but its log shows the Citrix listener answering HTTP 500 to the tenant ID request and the subscription.",
    argv: (put) => [
      put(
        'SecureMail_logs.zip',
        secureMailZip([
          {
            name: 'CtxLog_AppPolicies.xml',
            data: [
              '<?xml version="1.0" encoding="UTF-8"?>',
              '<AppPolicies app="Secure Mail">',
              '  <policy name="PushNotificationsEnabled" value="true"/>',
              '  <policy name="PushNotificationsListenerServiceHostName" value="us-east-1.mailboxlistener.xm.citrix.com"/>',
              '  <policy name="PushNotificationsTenantId" value="0f3c9a52-1b2d-4e6f-8a9b-0c1d2e3f4a5b"/>',
              '</AppPolicies>',
              '',
            ].join('\n'),
          },
          {
            name: 'CtxLog_SecureMail.csv',
            data: [
              'Date,Category,Module,Message',
              '07-May-2024 09:00:00:100 (+0000),ERROR,Secure Mail.APNS,Tenant ID request to listener service failed: HTTP status 500',
              '07-May-2024 09:00:01:100 (+0000),ERROR,Secure Mail.APNS,Subscription to push notifications failed: HTTP status 500',
            ].join('\r\n'),
          },
        ]),
      ),
    ],
  },
];

function byIdOf(id: string): Case {
  const c = CASES.find((x) => x.id === id);
  if (!c) throw new Error(`no case ${id}`);
  return c;
}
