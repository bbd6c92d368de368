import { describe, expect, it } from 'vitest';
import { diagnose, type Diagnosis } from '../../src/engine/diagnose.js';
import { bufferReadersFor } from '../../src/evidence/dispatch.js';
import { mdmReaders } from '../../src/evidence/mdm/index.js';
import type { ReadResult } from '../../src/evidence/types.js';
import { readFixture } from './helpers.js';
import { shipped } from '../support/rules.js';

const status = (d: Diagnosis, id: string) => d.causes.find((c) => c.cause.id === id)?.status;
const run = (...inputs: ReadResult[]) => diagnose({ facts: inputs.flatMap((r) => r.facts), problems: inputs.flatMap((r) => r.problems) }, shipped());

describe("the device's MDM.plist against the TokenUpdate the server stored", () => {
  // Issue 8 item 4 changed the topic half: a check-in's Topic is the topic the device enrolled with, not
  // proof of the topic the server pushes on, so the topic stays open and the server's push topic is asked for.
  it('same token (hash), another PushMagic: wrong magic confirmed, token ruled out; the push topic is asked for', async () => {
    const device = await readFixture('MDM.plist', { input: 'sysdiagnose.tar.gz', member: 'x/logs/MCState/Shared/MDM.plist' });
    const server = await readFixture('server/TokenUpdate_iPhone.plist');
    expect([...device.problems, ...server.problems]).toEqual([]);
    const diagnosis = run(device, server);
    expect(status(diagnosis, 'mdm.wrong_magic')).toBe('confirmed');
    expect(status(diagnosis, 'mdm.wrong_token')).toBe('ruled_out');
    expect(status(diagnosis, 'mdm.wrong_topic')).toBe('open');
    expect(diagnosis.questions.map((q) => q.question.id)).toContain('q.mdm.server_topic');
  });

  it('an enrollment template as the enrollment profile: the placeholder topic is reported', async () => {
    const d = run(await readFixture('server/enroll_template.mobileconfig'));
    const topicCause = d.causes.find((c) => c.cause.id === 'mdm.wrong_topic');
    expect(topicCause?.decided.map((r) => r.rule.id).join(' ')).toMatch(/placeholder/);
  });
});

describe('inside a sysdiagnose, only members that can be MDM evidence are buffered', () => {
  const bplistHead = Buffer.from('bplist00\xd1\x01\x02', 'latin1');
  const wanted = (member: string, head = bplistHead) =>
    bufferReadersFor(member.slice(member.lastIndexOf('/') + 1), head, { input: 'sd.tar.gz', member }, mdmReaders).length > 0;

  it('MDM.plist and profile stubs by name, wherever they sit', () => {
    expect(wanted('sysdiagnose_x/logs/MCState/Shared/MDM.plist')).toBe(true);
    expect(wanted('sysdiagnose_x/logs/MCState/Shared/profile-3f9a.stub', Buffer.from('garbage'))).toBe(true);
  });

  it('other plists under MCState, but not the hundreds of preference plists elsewhere', () => {
    expect(wanted('sysdiagnose_x/logs/MCState/Shared/CloudConfigurationDetails.plist')).toBe(true);
    expect(wanted('sysdiagnose_x/logs/Preferences/com.apple.springboard.plist')).toBe(false);
    expect(
      wanted(
        'sysdiagnose_x/logs/Preferences/com.apple.springboard.plist',
        Buffer.from('<?xml version="1.0"?>\n<plist version="1.0"><dict><key>MessageType</key>'),
      ),
    ).toBe(true);
  });

  it('the same plist handed in on its own is read by its content', () => {
    expect(bufferReadersFor('com.apple.springboard.plist', bplistHead, { input: 'com.apple.springboard.plist' }, mdmReaders).length).toBe(1);
  });
});
