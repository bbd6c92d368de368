import { describe, expect, it } from 'vitest';
import { tgz } from '../archive/support.js';
import { cause, diagnose, facts, file, MAGIC, named, note, OLD_MAGIC, PLUTIL_MDM_PLIST, TOPIC } from './evidence.js';

/**
 * Troubleshooting step: "read the PushMagic and topic off MDM.plist". The engineer ran plutil on the Mac
 * (`plutil -p`, or `plutil -convert xml1 -o -`) and saved what it printed to a .txt instead of pasting it
 * into the thread. The file says what the paste says: the device's PushMagic and topic, held against the
 * server's. Every value below is made up.
 */

const PLUTIL = `${PLUTIL_MDM_PLIST}\n`;

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>CheckInURL</key>
	<string>https://mdm.example.test/mdm/checkin</string>
	<key>PushMagic</key>
	<string>${MAGIC}</string>
	<key>ServerURL</key>
	<string>https://mdm.example.test/mdm/connect</string>
	<key>Topic</key>
	<string>${TOPIC}</string>
</dict>
</plist>
`;

/** The server pushes with another PushMagic than the device holds. */
const server = ['--topic', TOPIC, '--magic', OLD_MAGIC];
const values = (r: Awaited<ReturnType<typeof diagnose>>) => [facts(r, 'device.push_magic').map((f) => f.value), facts(r, 'device.topic').map((f) => f.value)];

describe('MDM.plist printed by plutil and saved to a .txt', () => {
  it('plutil -p output: the device PushMagic and topic are read, as from the same text pasted', async () => {
    const saved = await diagnose(file('MDM.plist.txt', PLUTIL), ...server);
    const pasted = await diagnose('--paste', PLUTIL, ...server);
    expect(values(saved)).toEqual([[MAGIC], [TOPIC]]);
    expect(values(saved)).toEqual(values(pasted));
    expect(cause(saved, 'mdm.wrong_magic')?.status).toBe(cause(pasted, 'mdm.wrong_magic')?.status);
    expect(cause(saved, 'mdm.wrong_magic')?.status).not.toBe('ruled_out');
    // Its dated lines do not make it a device log without push-path lines.
    expect(facts(saved, 'device.log.mdm_lines')).toEqual([]);
    expect(note(saved, 'mdm.note.logs_without_push_path')).toBeUndefined();
  });

  it('plutil -p output under the command that printed it, in a case folder beside the server values', async () => {
    const [txt] = named(['mdm-plist.txt', `$ plutil -p logs/MCState/Shared/MDM.plist\n${PLUTIL}`]);
    const r = await diagnose(txt!, ...server);
    expect(values(r)).toEqual([[MAGIC], [TOPIC]]);
  });

  it('plutil -p output as a .txt inside a zip or tarball of the case files', async () => {
    const bundle = file('case.tar.gz', tgz([{ path: 'case/MDM-plutil.txt', data: Buffer.from(PLUTIL) }]));
    const r = await diagnose(bundle, ...server);
    expect(values(r)).toEqual([[MAGIC], [TOPIC]]);
    expect(note(r, 'mdm.note.logs_without_push_path')).toBeUndefined();
  });

  it('plutil -convert xml1 output under its command line: read as MDM.plist, as the paste is', async () => {
    const text = `$ plutil -convert xml1 -o - logs/MCState/Shared/MDM.plist\n${XML}`;
    const saved = await diagnose(file('mdm.txt', text), ...server);
    const pasted = await diagnose('--paste', text, ...server);
    expect(values(saved)).toEqual([[MAGIC], [TOPIC]]);
    expect(facts(saved, 'device.mdm_enrolled').map((f) => f.value)).toEqual([true]);
    expect(saved.problems).toEqual([]);
    expect(cause(saved, 'mdm.wrong_magic')?.status).toBe(cause(pasted, 'mdm.wrong_magic')?.status);
  });

  it('the XML alone in a .txt was read before, and still is', async () => {
    const r = await diagnose(file('mdm.txt', XML), ...server);
    expect(values(r)).toEqual([[MAGIC], [TOPIC]]);
  });
});
