import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cause, diagnose, file, heldRules } from './evidence.js';

/**
 * The engineer attaches the server's enrollment template (its Topic still YOUR-TOPIC-HERE) and a
 * device's TokenUpdate. The TokenUpdate shows the topic the device really enrolled with, a real one:
 * the template is not what this device enrolled with, so its placeholder topic confirms nothing
 * about the topic the device listens on. The template itself still cannot work as written.
 */

const fixture = (p: string) => fileURLToPath(new URL(`../fixtures/mdm/server/${p}`, import.meta.url));
const template = fixture('enroll_template.mobileconfig');
const macCheckin = fixture('TokenUpdate_Mac.plist');

describe('an enrollment template beside a real check-in', () => {
  it('alone, the template topic is the wrong topic every device enrolling with it gets', async () => {
    const r = await diagnose(template);
    expect(cause(r, 'mdm.wrong_topic')?.status).toBe('confirmed');
    expect(heldRules(cause(r, 'mdm.wrong_topic'))).toContain('mdm.wrong_topic.placeholder');
  });

  it("beside a TokenUpdate with a real topic, the placeholder confirms no wrong topic; the template's own fault stays", async () => {
    const r = await diagnose(template, macCheckin);
    expect(heldRules(cause(r, 'mdm.wrong_topic'))).not.toContain('mdm.wrong_topic.placeholder');
    expect(cause(r, 'mdm.wrong_topic')?.status).not.toBe('confirmed');
    expect(cause(r, 'mdm.enrollment_profile_unusable')?.status).toBe('confirmed');
  });

  it('a check-in whose Topic is itself the placeholder shows the device enrolled on it: confirmed', async () => {
    const checkin = file(
      'TokenUpdate.plist',
      `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>MessageType</key>
	<string>TokenUpdate</string>
	<key>PushMagic</key>
	<string>6A1C3E5B-7D9F-4B2A-8C4E-0F2A4C6E8B1D</string>
	<key>Token</key>
	<data>mkwufxs9XG6KCyxNbo8KGzxdfp8aK0xtjg8aO1x9ng8=</data>
	<key>Topic</key>
	<string>com.apple.mgmt.External.YOUR-TOPIC-HERE</string>
	<key>UDID</key>
	<string>00008110-000A1C2E3F40801E</string>
</dict>
</plist>
`,
    );
    const r = await diagnose(template, checkin);
    expect(cause(r, 'mdm.wrong_topic')?.status).toBe('confirmed');
    expect(heldRules(cause(r, 'mdm.wrong_topic'))).toContain('mdm.wrong_topic.placeholder');
  });
});
