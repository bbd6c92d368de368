/**
 * The hostile inputs of issue 11, as text made on demand: used by the
 * tests (small) and by `npm run bench:hostile` (full size).
 */

/** A PushMagic as mdmclient writes it (a made-up UUID). */
export const MAGIC = '5E2A1C3F-8B4D-4F1A-9C6E-2D7B8A9F0E13';

const fill = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

export interface FragmentLog {
  kind: string;
  /** The file name its readers recognise it by. */
  name: string;
  text: string;
}

/**
 * Lines of `length` characters made of the words each kind of log is read
 * for, after a first ordinary line so the log is recognised as what it is.
 */
function fragmentLogs(length = 65_536, lines = 4): FragmentLog[] {
  const kinds: { kind: string; name: string; first: string; fragments: string[] }[] = [
    {
      kind: 'a device log',
      name: 'apsd.log',
      first: '2024-03-01 10:22:33.123456-0800 0x1f2e3 Default 0x0 98 0 apsd: [com.apple.apsd:connection] Connected to courier 12-courier.push.apple.com',
      fragments: ['apsd: Received message for enabled topic ', '<APSCourier: 0x1 production>', 'copyTokenForDomain push.apple.com ', '\t', ' '],
    },
    {
      kind: 'an MDM server log',
      name: 'nanomdm.log',
      first: '2024/03/01 10:22:33 level=info msg="command response" id=1 status=NotNow command_uuid=9F1C udid=00008030-001A2B3C4D5E6F70',
      fragments: ['status=NotNow ', 'msg="command response" ', '"status": "NotNow", ', 'udid=', '\\"'],
    },
    {
      kind: 'a provider log',
      name: 'provider.log',
      first: '2024-03-01T10:22:33Z apns2: POST https://api.push.apple.com/3/device/0a1b returned HTTP/2 400 {"reason":"BadDeviceToken"}',
      fragments: ['push.apple.com', '"reason\\"', 'apns-id: ', 'HTTP/2 ', '0.', ':bad_device_token'],
    },
    {
      kind: 'a Secure Mail log',
      name: 'CtxLog_SecureMail.txt',
      first: '02-Dec-2016 08:00:00:010 (+0100) Secure Mail.APNS ERROR Failed to register for remote notifications',
      fragments: ['didFailToRegisterForRemoteNotifications', 'Failed to get APNS device token ', 'UIBackgroundRefreshStatusAvailable', 'ntlm', '/'],
    },
  ];
  const out: FragmentLog[] = [];
  for (const k of kinds) {
    const body = k.fragments.map((f) => fill(f, length));
    out.push({ kind: k.kind, name: k.name, text: `${[k.first, ...Array.from({ length: lines }, (_, i) => body[i % body.length])].join('\n')}\n` });
  }
  return out;
}

export const hostile = {
  backslashLines: (count: number, length: number) => `${Array.from({ length: count }, () => '\\'.repeat(length)).join('\n')}\n`,

  fragmentLogs,

  /** Ordinary apsd lines, as a push-heavy device log holds them. */
  apsdLines(count: number): string {
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      const s = String(i % 60).padStart(2, '0');
      out.push(
        `2024-03-01 10:22:${s}.123456-0800 0x1f2e3 Default 0x0 98 0 apsd: [com.apple.apsd:connection] Received message for enabled topic 'com.example.app' onInterface: WiFi with payload size ${100 + (i % 50)}`,
      );
    }
    return `${out.join('\n')}\n`;
  },

  /** CtxLog_APNS_Events.csv with `rows` subscription events (every seventh one failed). */
  apnsEventsCsv(rows: number): string {
    const out = ['Time,Operation,Status,Tenant ID,Listener Token,Tenant ID + Listener Token'];
    for (let i = 0; i < rows; i++) {
      const status = i % 7 ? 'Success' : 'Failed: HTTP 500';
      out.push(
        `01-Dec-2016 12:${String(i % 60).padStart(2, '0')}:02:118 (+0000),Register device ${i},${status},0f3c9a52-7e1b-4c8d-9a61-2b5e8d4f7c10,abcdef0123456789${i},0f3c9a52+abcdef${i}`,
      );
    }
    return out.join('\r\n');
  },
};
