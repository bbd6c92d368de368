import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report as FullReport } from '../../src/report/types.js';
import { summaryBlocks } from '../../src/slack/blocks/report.js';
import { tgz } from '../archive/support.js';
import { run, statusOf as engineStatus } from '../rules/helpers.js';
import { diagnoseJson, diagnoseText, facts, noteIds, sample, statusOf } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'pushcheck-readers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('healthy evidence says so', () => {
  it('mdmd completing its transactions: a note naming the device and the time, and no question whether it is enrolled', async () => {
    const r = await diagnoseJson(sample('mdmd_healthy_syslog.log'));
    // mdmd also logged the command's Acknowledged: one note says both (it used to be two saying the same).
    const note = r.notes.find((n) => n.id === 'mdm.note.device_answers_commands_and_log');
    expect(note?.text).toMatch(/Annas-iPad reached the MDM server and was answered at Nov 20 11:02:16 \(the log gives no zone\): the push path worked/);
    expect(noteIds(r)).not.toContain('mdm.note.push_path_worked');
    expect(noteIds(r)).not.toContain('mdm.note.device_answers_commands');
    expect(facts(r, 'device.mdm_enrolled').map((f) => f.value)).toEqual([true]);
    expect(r.questions.map((q) => q.id)).not.toContain('q.mdm.enrolled');
    expect(statusOf(r, 'mdm.unenrolled')).toBe('ruled_out');
  });

  it('an old iOS syslog with the weekday first is read too', async () => {
    const r = await diagnoseJson(sample('mdmd_weekday_syslog.log'));
    expect(r.notes.find((n) => n.id === 'mdm.note.push_path_worked')?.text).toContain('at Wed Sep 29 02:09:06');
  });

  it("macOS mdmclient processing a command gives the note with the logged offset, shown in UTC beside the log's clock", async () => {
    const r = await diagnoseJson(sample('mdmclient_notnow.log'));
    // ISO-8601 with the offset the log wrote (…+0100), not the raw log text: renderers can read it.
    expect(r.notes.find((n) => n.id === 'mdm.note.push_path_worked')?.text).toContain('answered at 2026-11-20T08:31:02.402+01:00');
    const text = await diagnoseText(sample('mdmclient_notnow.log'));
    expect(text).toContain('answered at 2026-11-20 07:31:02 UTC (08:31:02 at +01:00): the push path worked');
  });

  it('an HTTP error from the server is not the push path working', async () => {
    const r = await diagnoseJson('--paste', 'Nov 20 11:02:15 Annas-iPad mdmd[241] <Notice>: MDM|Transaction completed. Status: 401');
    expect(noteIds(r)).not.toContain('mdm.note.push_path_worked');
    expect(facts(r, 'device.mdm_enrolled')).toEqual([]);
  });

  it('commands processed before a CheckOut do not make the device enrolled now', () => {
    const d = run([
      { name: 'device.log.command', value: 'DeviceInformation', at: '2026-11-20T10:00:00.000Z', source: { kind: 'file', input: 'd.log', line: 3 } },
      {
        name: 'mdm.checkin.checkout',
        value: '2026-11-20T11:00:00.000Z',
        at: '2026-11-20T11:00:00.000Z',
        source: { kind: 'file', input: 'server.log', line: 9 },
      },
    ]);
    // Nothing of the device follows the CheckOut: the evidence says it holds no enrollment, never that it does.
    expect(d.facts.filter((f) => f.name === 'device.mdm_enrolled').map((f) => f.value)).toEqual([false]);
    expect(engineStatus(d, 'mdm.unenrolled')).toBe('confirmed');
    // The CheckOut says the device left: whether the profile is still installed is not asked.
    expect(d.questions.map((q) => q.question.id)).not.toContain('q.mdm.enrolled');
  });
});

describe('NotNow is the device deferring, not a push failure (seed 002)', () => {
  it('says so whenever a NotNow is seen', async () => {
    const r = await diagnoseJson(sample('mdmclient_notnow.log'));
    const note = r.notes.find((n) => n.id === 'notnow.note.deferral');
    expect(note?.text).toContain('not a push failure');
    expect(note?.evidence.map((e) => e.fact)).toContain('mdm.command.status');
  });

  it('and not when the device only acknowledged', async () => {
    const r = await diagnoseJson(sample('mdmd_healthy_syslog.log'));
    expect(noteIds(r)).not.toContain('notnow.note.deferral');
  });
});

describe('Secure Mail (seed 003)', () => {
  const bundle = new URL('../fixtures/securemail/healthy/', import.meta.url).pathname;

  it('when pushes do arrive, a missing badge update can be benign: the unread count changed without new mail', async () => {
    const r = await diagnoseJson(bundle);
    const note = r.notes.find((n) => n.id === 'securemail.note.no_push_without_new_mail');
    expect(note?.text).toContain('unread count changes');
  });

  it("an app-log line with HTTP status 500 is the listener's answer, not APNs'", async () => {
    const line = '02-Dec-2016 08:00:01:200 (+0100),ERROR,Secure Mail.APNS,Tenant ID request to listener service failed: HTTP status 500';
    const r = await diagnoseJson('--paste', line);
    expect(facts(r, 'apns.response')).toEqual([]);
    expect(facts(r, 'securemail.log.http_500')).toHaveLength(1);
    expect(statusOf(r, 'securemail.tenant_id')).toBe('likely');
  });

  it('the same for a whole app log saved as a .log file', async () => {
    const path = join(dir, 'secure-mail-app.log');
    writeFileSync(path, readFileSync(new URL('../fixtures/securemail/failing/CtxLog_SecureMail.csv', import.meta.url)));
    const r = await diagnoseJson(path);
    expect(facts(r, 'apns.response')).toEqual([]);
    expect(facts(r, 'apns.provider_connect_error')).toEqual([]);
  });
});

describe('the log archive in a real sysdiagnose', () => {
  const ROOT = 'sysdiagnose_2026.11.20_10-22-33-0800_iPhone-OS_iPhone_23B85';
  const infoPlist = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>OSArchiveVersion</key>
	<integer>4</integer>
</dict>
</plist>
`;
  const bundle = (name: string, extra: { path: string; data: string }[] = []) => {
    const path = join(dir, name);
    writeFileSync(
      path,
      tgz([
        { path: `${ROOT}/`, type: 'dir' },
        { path: `${ROOT}/system_logs.logarchive/Info.plist`, data: infoPlist },
        { path: `${ROOT}/system_logs.logarchive/Persist/0000000000000001.tracev3`, data: Buffer.alloc(32 * 1024, 3).toString('latin1') },
        { path: `${ROOT}/system_logs.logarchive/timesync/0000000000000001.timesync`, data: 'ts' },
        ...extra,
      ]),
    );
    return path;
  };

  it('with no readable push-path lines, the report gives the exact command to export them and names unifiedlog_iterator', async () => {
    const r = await diagnoseJson(bundle('sysdiagnose.tar.gz'));
    expect(facts(r, 'device.log.archive').map((f) => f.value)).toEqual([`${ROOT}/system_logs.logarchive`]);
    const note = r.notes.find((n) => n.id === 'device.note.log_archive_unread');
    expect(note?.text).toContain(
      `log show --archive '${ROOT}/system_logs.logarchive' --info --debug --style ndjson --predicate 'process == "apsd" OR process == "mdmd"`,
    );
    expect(note?.text).toContain('unifiedlog_iterator --mode log-archive --input system_logs.logarchive --format csv');
    // The text a person reads and the Slack reply carry it too.
    const text = await diagnoseText(bundle('sysdiagnose2.tar.gz'));
    expect(text).toContain('log show --archive');
    const slack = JSON.stringify(summaryBlocks(r as unknown as FullReport, { key: 'C1:1.2' }).blocks);
    expect(slack).toContain(`log show --archive '${ROOT}/system_logs.logarchive'`);
    expect(slack).toContain('unifiedlog_iterator');
  });

  it('is quiet when a readable log already holds the push path', async () => {
    const r = await diagnoseJson(
      bundle('sysdiagnose-with-text.tar.gz', [
        {
          path: `${ROOT}/logs/apsd.log`,
          data: 'Nov 20 10:20:01 Johns-iPhone apsd[87] <Notice>: <APSCourier: 0x1>: Connected to courier 4-courier.push.apple.com\n',
        },
      ]),
    );
    expect(noteIds(r)).not.toContain('device.note.log_archive_unread');
  });

  it('the exported lines, attached afterwards, are read (ndjson from log show)', async () => {
    const path = join(dir, 'push-path.ndjson');
    writeFileSync(
      path,
      `${JSON.stringify({ timestamp: '2026-11-20 10:21:07.114520-0800', eventMessage: 'Rejecting MDM push dictionary because it does not have the right magic string.', processImagePath: '/usr/libexec/mdmd', subsystem: 'com.apple.ManagedClient', category: 'MDMDaemon' })}\n`,
    );
    const r = await diagnoseJson(bundle('sysdiagnose3.tar.gz'), path);
    expect(statusOf(r, 'mdm.wrong_magic')).toBe('confirmed');
    expect(noteIds(r)).not.toContain('device.note.log_archive_unread');
  });
});
