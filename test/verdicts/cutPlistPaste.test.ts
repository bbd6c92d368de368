import { describe, expect, it } from 'vitest';
import { cause, diagnose, facts, MAGIC, OLD_MAGIC, PLUTIL_MDM_PLIST, TOPIC } from './evidence.js';

/**
 * Troubleshooting step: "read the PushMagic and topic off MDM.plist" (plutil -p, or plutil -convert xml1 -o -),
 * pasted into the thread. Slack and terminals cut long pastes: the output stops part way. The values that end
 * before the cut are the device's and are read; the paste is said to be cut, by its name; and a value cut in
 * the middle ("7E3B1C9A-4D2") is never taken for the device's PushMagic.
 */

const PLUTIL = `$ plutil -p logs/MCState/Shared/MDM.plist\n${PLUTIL_MDM_PLIST}`;

const XML = `$ plutil -convert xml1 -o - logs/MCState/Shared/MDM.plist
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>AccessRights</key>
	<integer>8191</integer>
	<key>CheckInURL</key>
	<string>https://mdm.example.test/mdm/checkin</string>
	<key>PushMagic</key>
	<string>${MAGIC}</string>
	<key>ServerURL</key>
	<string>https://mdm.example.test/mdm/connect</string>
	<key>Topic</key>
	<string>${TOPIC}</string>
	<key>UseDevelopmentAPNS</key>
	<false/>
</dict>
</plist>
`;

const cutAt = (text: string, marker: string, keep = 0) => text.slice(0, text.indexOf(marker) + keep);
type Problem = { input: string; code: string; message: string };
const problems = (r: Awaited<ReturnType<typeof diagnose>>, code: string) => (r.problems as Problem[]).filter((p) => p.code === code);

describe('plutil -p output of MDM.plist, pasted and cut off', () => {
  it('whole: its PushMagic and topic are read, nothing is said to be cut', async () => {
    const r = await diagnose('--paste', PLUTIL);
    expect(facts(r, 'device.push_magic').map((f) => f.value)).toEqual([MAGIC]);
    expect(problems(r, 'paste.cut')).toEqual([]);
  });

  it('cut after the PushMagic line: the magic is read, the paste is said to be cut', async () => {
    const r = await diagnose('--paste', cutAt(PLUTIL, '  "Topic"'));
    expect(facts(r, 'device.push_magic').map((f) => f.value)).toEqual([MAGIC]);
    expect(facts(r, 'device.topic')).toEqual([]);
    const [cut] = problems(r, 'paste.cut');
    expect(cut?.input).toBe('--paste');
    expect(cut?.message).toMatch(/cut off.*line 2.*line 8/);
  });

  it('cut inside the PushMagic: the stub is not the device magic, so a server magic that differs is no wrong-magic finding', async () => {
    const r = await diagnose('--paste', cutAt(PLUTIL, MAGIC, 12), '--magic', OLD_MAGIC, '--topic', TOPIC);
    expect(facts(r, 'device.push_magic')).toEqual([]);
    expect(problems(r, 'paste.cut')).toHaveLength(1);
    expect(r.problems.map((p: { message: string }) => p.message).join('\n')).toMatch(/"PushMagic" => is cut off/);
    expect(cause(r, 'mdm.wrong_magic')?.status).not.toBe('confirmed');
  });
});

describe('plutil -convert xml1 output of MDM.plist, pasted and cut off', () => {
  it('whole: read as MDM.plist, and its markup is not taken for values', async () => {
    const r = await diagnose('--paste', XML);
    expect(facts(r, 'device.topic').map((f) => f.value)).toEqual([TOPIC]);
    expect(facts(r, 'value.masked')).toEqual([]);
    expect(r.problems.map((p: Problem) => p.message)).toEqual([]);
  });

  it('cut inside the topic: the values before it are read, the cut topic is not, and the paste is said to be cut', async () => {
    const r = await diagnose('--paste', cutAt(XML, TOPIC, 20));
    expect(facts(r, 'device.push_magic').map((f) => f.value)).toEqual([MAGIC]);
    expect(facts(r, 'device.server_url').map((f) => f.value)).toEqual(['https://mdm.example.test/mdm/connect']);
    expect(facts(r, 'device.mdm_enrolled').map((f) => f.value)).toEqual([true]);
    expect([...facts(r, 'device.topic'), ...facts(r, 'pasted.topic'), ...facts(r, 'value.masked')]).toEqual([]);
    const [cut] = problems(r, 'plist.truncated');
    expect(cut?.input).toBe('--paste');
    expect(cut?.message).toMatch(/MDM\.plist cut off after line 13/);
  });
});
