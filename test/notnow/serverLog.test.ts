import { describe, expect, it } from 'vitest';
import { mdmServerLogReader } from '../../src/evidence/notnow/serverLog.js';
import { expandFacts } from '../../src/facts/fold.js';
import { fixture, named, readServerLog, readServerLogFile } from './helpers.js';

const UDID = '6B1E0F4A-92C3-5D78-A4E6-3F8B2C1D9E07';

describe('reading MDM server logs', () => {
  it('reads a NanoMDM log of 2022 as it is: check-ins, pushes, Idle polls and an Acknowledged InstalledApplicationList', async () => {
    const read = await readServerLogFile(fixture('nanomdm_2021_round_trip.log'));
    expect(read.problems).toEqual([]);
    // The reader folds repeated lines as it reads; each line's observation is checked.
    const facts = expandFacts(read.facts);

    const [auth] = named(facts, 'mdm.checkin.authenticate');
    expect(auth.at).toBe('2022-11-08T16:05:02.000Z');
    expect(auth.attrs).toMatchObject({ udid: UDID, channel: 'device' });
    expect(named(facts, 'mdm.checkin.token_update').map((f) => f.at)).toEqual(['2022-11-08T16:05:03.000Z']);

    // The push line names no device; the API request just before it does.
    const pushes = named(facts, 'server.push_sent');
    // NanoMDM does not log APNs' HTTP status, but its "msg=push count=1" (no errs) counts the pushes that came
    // back without an error, and nanopush makes every answer but 200 an error: each push here was a 200.
    expect(pushes.map((f) => [f.at, f.attrs?.udid, f.attrs?.status])).toEqual([
      ['2022-11-08T16:11:20.000Z', UDID, '200'],
      ['2022-11-08T16:20:05.000Z', UDID, '200'],
    ]);
    expect(named(facts, 'server.push_status').map((f) => [f.at, f.value])).toEqual([
      ['2022-11-08T16:11:20.000Z', 200],
      ['2022-11-08T16:20:05.000Z', 200],
    ]);

    const statuses = named(facts, 'mdm.command.status');
    expect(statuses.map((f) => [f.value, f.at, f.source.kind === 'file' ? f.source.line : 0])).toEqual([
      ['Idle', '2022-11-08T16:11:22.000Z', 12],
      ['Idle', '2022-11-08T16:20:07.000Z', 18],
      ['Acknowledged', '2022-11-08T16:20:08.000Z', 21],
    ]);
    // The status line has only the command UUID; the enqueue line gave its RequestType.
    expect(statuses[2].attrs).toMatchObject({
      udid: UDID,
      command_uuid: 'c83f1a06-5d2e-4b97-a140-e6b9d3f72a58',
      request_type: 'InstalledApplicationList',
      channel: 'device',
    });
    // Two polls, two connections; the Acknowledged belongs to the second.
    expect(statuses[0].attrs?.connection).not.toBe(statuses[1].attrs?.connection);
    expect(statuses[2].attrs?.connection).toBe(statuses[1].attrs?.connection);

    expect(named(facts, 'server.topic').map((f) => f.value)).toContain('com.apple.mgmt.External.5f1d2c3b-8a47-4e90-b6d1-0c9e8f7a6b52');
    expect(named(facts, 'notnow.command_sent')[0].attrs).toMatchObject({ request_type: 'InstalledApplicationList', connection: statuses[1].attrs?.connection });
  });

  it('reads the early MicroMDM lines below a macOS `log show` export, and nothing from its device lines', async () => {
    const read = await readServerLogFile(new URL('../fixtures/text/log_show_default_mdmclient_with_server_lines.log', import.meta.url));
    expect(read.problems).toEqual([]);
    const facts = expandFacts(read.facts);
    expect(facts.map((f) => [f.name, f.value, f.attrs?.udid, f.attrs?.request_type])).toEqual([
      ['mdm.command.status', 'Acknowledged', '8C2D4E6F-1A3B-4C5D-9E7F-0A1B2C3D4E5F', 'InstallApplication'],
      ['mdm.command.status', 'Acknowledged', '8C2D4E6F-1A3B-4C5D-9E7F-0A1B2C3D4E5F', 'InstallApplication'],
    ]);
    // These lines carry no time; the line number is their order.
    expect(facts.every((f) => f.at === undefined && f.source.kind === 'file' && f.source.line! >= 7)).toBe(true);
  });

  it("reads today's NanoMDM lines: ts= first, unquoted values with spaces, user channel ids", async () => {
    const log = [
      'ts=2024-05-01T08:00:00Z level=info service=nanomdm trace_id=aa11bb22cc33dd44 id=0000FE00-1A2B3C4D5E6F7A8B:A1B2C3D4-0000-1111-2222-333344445555 type=User status=NotNow command_uuid=0f0e0d0c-1111-2222-3333-444455556666 caller=service.go:215',
      'ts=2024-05-01T08:00:01Z level=info service=nanomdm trace_id=ee55ff66aa77bb88 id=0000FE00-1A2B3C4D5E6F7A8B type=User Enrollment (Device) msg=TokenUpdate caller=service.go:120',
      'ts=2024-05-01T08:00:02Z level=debug service=nanomdm id=0000FE00-1A2B3C4D5E6F7A8B type=Device msg=no command retrieved caller=service.go:233',
    ].join('\n');
    const { facts, problems } = await readServerLog(log);
    expect(problems).toEqual([]);
    const [nn] = named(facts, 'mdm.command.status');
    expect(nn.value).toBe('NotNow');
    expect(nn.at).toBe('2024-05-01T08:00:00.000Z');
    expect(nn.attrs).toMatchObject({ udid: '0000FE00-1A2B3C4D5E6F7A8B', channel: 'user', user: 'A1B2C3D4-0000-1111-2222-333344445555' });
    const [tu] = named(facts, 'mdm.checkin.token_update');
    expect(tu.attrs).toMatchObject({ udid: '0000FE00-1A2B3C4D5E6F7A8B', channel: 'device' });
  });

  it('reads MicroMDM push lines, including a failed one with its error', async () => {
    const log = [
      'level=info ts=2019-05-01T15:34:58.123456Z caller=push.go:80 component=apns method=Push udid=4A7A3EC2-6755-4113-A5AF-AC10574D953A err=null took=212.5ms',
      'level=info ts=2019-05-01T15:40:00.000Z caller=push.go:80 component=apns method=Push udid=5B8B4FD3-7866-5224-B6B0-BD21685E064B err="retrieving PushInfo by UDID: not found: PushInfo udid 5B8B4FD3-7866-5224-B6B0-BD21685E064B" took=1.2ms',
    ].join('\n');
    const { facts } = await readServerLog(log);
    expect(named(facts, 'server.push_sent').map((f) => [f.at, f.attrs?.status])).toEqual([
      ['2019-05-01T15:34:58.123Z', 'sent'],
      ['2019-05-01T15:40:00.000Z', 'failed'],
    ]);
    expect(named(facts, 'server.push_sent')[1].attrs?.error).toMatch(/^retrieving PushInfo by UDID: not found/);
  });

  it('reads JSON-per-line servers and generic key=value lines: statuses, APNs status and apns id', async () => {
    const log = [
      '{"level":"info","ts":"2023-04-12T18:16:32Z","component":"service","service":"nanomdm","id":"A1B2C3D4-E5F6-7A8B-9C0D-E1F2A3B4C5D6","type":"Device","status":"NotNow","command_uuid":"024fb3b9-cd8a-40a6-8dd7-6c155f488fd1"}',
      '{"topic":"mdm.Connect","created_at":"2023-12-05T08:36:14.330371558Z","acknowledge_event":{"udid":"00008020-001975101431002E","status":"Idle"}}',
      '2023-06-01T10:00:00Z push sent udid=00008020-001975101431002E status=200 apns_id=5C8A2B1E-0F3D-4A6B-9E7C-112233445566',
      '2023-06-01T10:00:05Z udid=00008020-001975101431002E command=RestartDevice status=NotNow',
    ].join('\n');
    const { facts, problems } = await readServerLog(log, 'server.jsonl');
    expect(problems).toEqual([]);
    expect(named(facts, 'mdm.command.status').map((f) => [f.value, f.at, f.attrs?.udid, f.attrs?.request_type])).toEqual([
      ['NotNow', '2023-04-12T18:16:32.000Z', 'A1B2C3D4-E5F6-7A8B-9C0D-E1F2A3B4C5D6', undefined],
      ['Idle', '2023-12-05T08:36:14.330Z', '00008020-001975101431002E', undefined],
      ['NotNow', '2023-06-01T10:00:05.000Z', '00008020-001975101431002E', 'RestartDevice'],
    ]);
    expect(named(facts, 'server.push_sent')[0].attrs).toMatchObject({ status: '200', apns_id: '5C8A2B1E-0F3D-4A6B-9E7C-112233445566' });
    expect(named(facts, 'server.push_status').map((f) => f.value)).toEqual([200]);
  });

  it('survives garbage and truncated lines and says which lines it could not use', async () => {
    const noise = [
      'ts=2024-05-01T08:00:00Z level=info service=nanomdm status=NotNow command_uuid=x', // no device id
      'ts=2024-05-01T08:00:00Z level=info service=nanomdm id=0000FE00-1A2B3C4D5E6F7A8B type=Device status=Ack', // cut off
      'level=info msg="unterminated quote id=0000FE00',
      '{"status":"NotNow", "udid": ',
      '\u0000\u0001\u0002==== ==\u00ff',
      '='.repeat(5000),
      'ts=not-a-time level=info service=nanomdm id=0000FE00-1A2B3C4D5E6F7A8B type=Device status=Idle',
    ].join('\n');
    const { facts, problems } = await readServerLog(noise);
    // Only the last line is whole: an Idle without a usable time.
    expect(facts.map((f) => [f.name, f.value, f.at])).toEqual([['mdm.command.status', 'Idle', undefined]]);
    expect(problems.map((p) => p.code)).toContain('mdmlog.incomplete_lines');
    expect(problems.find((p) => p.code === 'mdmlog.incomplete_lines')?.message).toMatch(/first at line 1/);
  });

  it('says so when a NanoMDM log holds nothing it can use', async () => {
    const { facts, problems } = await readServerLog(
      '2021/05/30 12:26:18 level=info handler=log addr=::1 method=PUT path=/mdm agent=MDM-OSX/1.0 mdmclient/1090\n',
    );
    expect(facts).toEqual([]);
    expect(problems.map((p) => p.code)).toEqual(['mdmlog.nothing_found']);
  });

  it('takes server logs by content, by an MDM-ish name, or pasted; not a random text file', () => {
    const head = (s: string) => Buffer.from(s);
    expect(mdmServerLogReader.accepts('out.txt', head('ts=2024-01-01T00:00:00Z level=info service=nanomdm msg=x'), { input: 'out.txt' })).toBe(true);
    expect(mdmServerLogReader.accepts('micromdm.log', head('# anything'), { input: 'micromdm.log' })).toBe(true);
    expect(mdmServerLogReader.accepts('pasted text', head('hello'), { input: 'pasted text', pasted: true })).toBe(true);
    expect(mdmServerLogReader.accepts('notes.txt', head('Dear support,'), { input: 'notes.txt' })).toBe(false);
  });
});
