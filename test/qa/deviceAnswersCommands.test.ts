import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, fixture } from '../cli/helpers.js';

/**
 * Troubleshooting step: "is the device checking in at all?" A command result
 * (Acknowledged, Error, Idle) is the device talking to the MDM server, so the
 * push path worked when it answered. The report must say so instead of
 * leaving the reader with a list of open push causes and no word about it.
 */
const NOTE = 'mdm.note.device_answers_commands';
const NOTNOW_RESULT = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>CommandUUID</key><string>0f3c2a8e-7d1b-4c55-9a0e-3b6f1d2c4e5a</string>
  <key>Status</key><string>NotNow</string>
  <key>UDID</key><string>66ADE930-5FDF-5EC4-8429-15640684C489</string>
</dict>
</plist>
`;
type Note = { id: string; text: string; evidence: { fact: string; value: unknown }[] };
const notes = (out: string): Note[] => JSON.parse(out).notes;

describe('a device that answers MDM commands: the push path works', () => {
  it('an Acknowledged DeviceInformation result says the device reached the server, with no Feedback draft', async () => {
    const { code, out } = await cli('diagnose', fixture('mdm/server/DeviceInformation_Acknowledged.plist'), '--format', 'json');
    expect(code).toBe(0);
    expect(JSON.parse(out).escalation).toBeNull();
    const note = notes(out).find((n) => n.id === NOTE);
    expect(note?.text).toMatch(/push path worked/);
    // The evidence is the device's answers, with the file they were read from.
    expect(note?.evidence).toEqual([
      expect.objectContaining({
        fact: 'mdm.command_answers',
        value: expect.stringContaining('Acknowledged'),
        source: expect.stringContaining('DeviceInformation_Acknowledged.plist'),
      }),
    ]);
  });

  it('a command that ended in Error (a profile that failed to install) is a failure on the device, not a push problem', async () => {
    const { code, out } = await cli('diagnose', fixture('mdm/server/InstallProfile_Error.plist'));
    expect(code).toBe(0);
    expect(out).toMatch(/Note: The device answered MDM commands/);
    expect(out).toMatch(/not a push problem/);
  });

  it("a NanoMDM log's push followed by Idle and Acknowledged reads as a working round trip", async () => {
    const { out } = await cli('diagnose', fixture('notnow/nanomdm_2021_round_trip.log'), '--format', 'json');
    expect(notes(out).map((n) => n.id)).toContain(NOTE);
  });

  it('a device that only ever answered NotNow gets no such note', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pushcheck-qa-'));
    try {
      const file = join(dir, 'notnow.plist');
      await writeFile(file, NOTNOW_RESULT);
      const { out } = await cli('diagnose', file, '--format', 'json');
      const report = JSON.parse(out);
      expect(report.facts).toContainEqual(expect.objectContaining({ fact: 'mdm.command.status', value: 'NotNow' }));
      expect(notes(out).map((n) => n.id)).not.toContain(NOTE);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
