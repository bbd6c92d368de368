import { describe, expect, it } from 'vitest';
import { runCase } from '../../src/case/index.js';
import { readBuffer } from '../../src/evidence/dispatch.js';
import { mdmServerLogReader } from '../../src/evidence/notnow/serverLog.js';
import { readPath } from '../../src/evidence/read.js';
import { DEFAULT_LIMITS } from '../../src/evidence/types.js';
import { expandFacts } from '../../src/facts/fold.js';
import type { Fact } from '../../src/facts/schema.js';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { realworld } from './files.js';

/** How many observations report facts stand for (a folded fact counts each one it holds). */
const observations = (facts: { count?: number }[]) => facts.reduce((n, f) => n + (f.count ?? 1), 0);

const ctx = { limits: DEFAULT_LIMITS };
const named = (facts: readonly Fact[], name: string) => facts.filter((f) => f.name === name);
const one = (facts: Fact[], name: string): Fact => {
  const found = named(facts, name);
  if (found.length !== 1) throw new Error(`expected one ${name}, found ${found.length}`);
  return found[0]!;
};
/** Reads a file with the server-log reader alone. */
const readServerLogFile = (path: string) => readBuffer({ input: basename(path) }, readFileSync(path), ctx, [mdmServerLogReader]);
const UDID = '99385AF6-44CB-5621-A678-A321F4D9A2C8';

describe('reading real MDM server logs', () => {
  it('reads the NanoMDM quickstart log as it is: check-ins, pushes, Idle polls and an Acknowledged ProfileList', async () => {
    const read = await readServerLogFile(realworld('nanomdm_server_log_quickstart_success.log'));
    expect(read.problems).toEqual([]);
    // The reader folds repeated lines as it reads; each line's observation is checked.
    const facts = expandFacts(read.facts);

    const [auth] = named(facts, 'mdm.checkin.authenticate');
    expect(auth.at).toBe('2021-05-30T12:25:17.000Z');
    expect(auth.attrs).toMatchObject({ udid: UDID, channel: 'device' });
    expect(named(facts, 'mdm.checkin.token_update').map((f) => f.at)).toEqual(['2021-05-30T12:25:18.000Z']);

    // The push line names no device; the API request just before it does.
    const pushes = named(facts, 'server.push_sent');
    // NanoMDM does not log APNs' HTTP status, but its "msg=push count=1" (no errs) counts the pushes that came
    // back without an error, and nanopush makes every answer but 200 an error: each push here was a 200.
    expect(pushes.map((f) => [f.at, f.attrs?.udid, f.attrs?.status])).toEqual([
      ['2021-05-30T12:32:32.000Z', UDID, '200'],
      ['2021-05-30T12:46:39.000Z', UDID, '200'],
    ]);
    expect(named(facts, 'server.push_status').map((f) => f.value)).toEqual([200, 200]);

    const statuses = named(facts, 'mdm.command.status');
    expect(statuses.map((f) => [f.value, f.at, f.source.kind === 'file' ? f.source.line : 0])).toEqual([
      ['Idle', '2021-05-30T12:32:33.000Z', 12],
      ['Idle', '2021-05-30T12:46:40.000Z', 18],
      ['Acknowledged', '2021-05-30T12:46:40.000Z', 21],
    ]);
    // The status line has only the command UUID; the enqueue line gave its RequestType.
    expect(statuses[2].attrs).toMatchObject({
      udid: UDID,
      command_uuid: '1ec2a267-1b32-4843-8ba0-2b06e80565c4',
      request_type: 'ProfileList',
      channel: 'device',
    });
    // Two polls, two connections; the Acknowledged belongs to the second.
    expect(statuses[0].attrs?.connection).not.toBe(statuses[1].attrs?.connection);
    expect(statuses[2].attrs?.connection).toBe(statuses[1].attrs?.connection);

    expect(named(facts, 'server.topic').map((f) => f.value)).toContain('com.apple.mgmt.External.e3b8ceac-1f18-2c8e-8a63-dd17d99435d9');
    expect(named(facts, 'notnow.command_sent')[0].attrs).toMatchObject({ request_type: 'ProfileList', connection: statuses[1].attrs?.connection });
  });

  it('reads the early MicroMDM lines at the end of the 2017 macOS log, and nothing from its device lines', async () => {
    const read = await readServerLogFile(realworld('macos_log_show_default_style_mdmclient_InstallApplication_2017.log'));
    expect(read.problems).toEqual([]);
    const facts = expandFacts(read.facts);
    expect(facts.map((f) => [f.name, f.value, f.attrs?.udid, f.attrs?.request_type])).toEqual([
      ['mdm.command.status', 'Acknowledged', '4A7A3EC2-6755-4113-A5AF-AC10574D953A', 'InstallApplication'],
      ['mdm.command.status', 'Acknowledged', '4A7A3EC2-6755-4113-A5AF-AC10574D953A', 'InstallApplication'],
    ]);
    // These lines carry no time; the line number is their order.
    expect(facts.every((f) => f.at === undefined && f.source.kind === 'file' && f.source.line! >= 7)).toBe(true);
  });
});

describe('whole real cases through the pipeline', () => {
  it('the NanoMDM quickstart log: a healthy round trip, no NotNow cause', async () => {
    const report = await runCase({ paths: [realworld('nanomdm_server_log_quickstart_success.log')] });
    const facts = report.facts;
    // Both pushes are on record: repeated observations are one fact with a count (issue 11, bounded facts).
    expect(observations(facts.filter((f) => f.fact === 'server.push_sent'))).toBe(2);
    expect(facts.filter((f) => f.fact === 'mdm.command.status').map((f) => f.value)).toEqual(expect.arrayContaining(['Idle', 'Acknowledged']));
    // Idle and Acknowledged are the device talking to its server: no NotNow, so the NotNow domain stays shut.
    expect(report.domains).not.toContain('notnow');
    expect(report.causes.filter((c) => c.domain === 'notnow')).toEqual([]);
    // The push reached the device (it polled a second later): the enrollment race is out.
    expect(report.causes.find((c) => c.id === 'mdm.enrollment_race')?.status).toBe('ruled_out');
  });

  it('the 2017 macOS log with MicroMDM lines reads without a problem from the server-log reader', async () => {
    const report = await runCase({ paths: [realworld('macos_log_show_default_style_mdmclient_InstallApplication_2017.log')] });
    expect(report.problems.filter((p) => p.code.startsWith('mdmlog.'))).toEqual([]);
    expect(observations(report.facts.filter((f) => f.fact === 'mdm.command.status' && f.attrs?.request_type === 'InstallApplication'))).toBeGreaterThanOrEqual(
      2,
    );
  });
});

describe('a real macOS log export with MicroMDM lines', () => {
  it('reads macOS `log show` default style with MicroMDM lines mixed in, and finds the mdmclient command', async () => {
    const path = realworld('macos_log_show_default_style_mdmclient_InstallApplication_2017.log');
    const r = await readPath(path, ctx);
    expect(r.problems).toEqual([]);
    const cmd = one(r.facts, 'device.log.command');
    expect(cmd).toMatchObject({ value: 'InstallApplication', at: '2017-04-30T01:30:02.362Z', source: { kind: 'file', input: path, line: 2 } });
    expect(cmd.attrs).toMatchObject({ process: 'mdmclient', logged_at: '2017-04-29 21:30:02.362540-0400' });
    // storedownloadd is not on the push path; mdmclient is the one relevant line.
    expect(named(r.facts, 'device.log.mdm_lines').map((f) => f.value)).toEqual([1]);
    expect(one(r.facts, 'device.log.redacted').value).toBe(false);
  });
});
