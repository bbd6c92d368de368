import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tgz } from '../archive/support.js';
import { cause, diagnose, facts, file, goLog, named, nanoIdle, nanoLib, nanoPush, nanoTokenUpdate, note, TOPIC, UDID_A } from './evidence.js';

/**
 * Server logs arrive rotated: `nanomdm.log` holds the newest lines, `nanomdm.log.1` the ones before, `.2`
 * older still. Lines of two of those files stamped with the same second are ordered by the rotation (the
 * older file's lines were all written first), never by how the file names sort, which puts
 * `nanomdm.log` before `nanomdm.log.1`. Two files that say nothing of their age leave such a tie open.
 */
const CMD = '9b1e7c44-2f0a-4d6b-a8e3-51c2d7f0b6aa';
const status = (t: string, s: string) => `2024/03/04 ${t} level=info service=nanomdm id=${UDID_A} type=Device status=${s} command_uuid=${CMD}`;
const retrieved = (t: string) =>
  `2024/03/04 ${t} level=info service=nanomdm id=${UDID_A} type=Device msg=command retrieved command_uuid=${CMD} request_type=InstallProfile`;

/** The NotNow at the end of the older file, the Acknowledged at the start of the newer one, in the same second. */
const notNowThenAck = (older: string, newer: string) =>
  // The newer file first, as a listing sorted by name gives them.
  named(
    [newer, `${[status('09:15:00', 'Idle'), retrieved('09:15:00'), status('09:15:00', 'Acknowledged')].join('\n')}\n`],
    [older, `${[status('09:14:58', 'Idle'), retrieved('09:14:58'), status('09:15:00', 'NotNow')].join('\n')}\n`],
  );

describe('a NotNow at the end of nanomdm.log.1 and the Acknowledged at the start of nanomdm.log, in one second', () => {
  it('reads the command as carried out later: the rotation says which file is older', async () => {
    const r = await diagnose(...notNowThenAck('nanomdm.log.1', 'nanomdm.log'));
    expect(note(r, 'notnow.note.done_later')?.text).toMatch(/InstallProfile/);
    expect(facts(r, 'notnow.last_status_per_device').map((f) => f.value)).toEqual(['Acknowledged']);
  });

  it('does the same for numbered rotations (.2 older than .1)', async () => {
    const r = await diagnose(...notNowThenAck('nanomdm.log.2', 'nanomdm.log.1'));
    expect(note(r, 'notnow.note.done_later')).toBeDefined();
    expect(facts(r, 'notnow.last_status_per_device').map((f) => f.value)).toEqual(['Acknowledged']);
  });

  it('and for dated and gzipped rotations', async () => {
    const dated = await diagnose(...notNowThenAck('micromdm.log.2024-03-03', 'micromdm.log'));
    expect(note(dated, 'notnow.note.done_later')).toBeDefined();
    const gz = await diagnose(...notNowThenAck('nanomdm.log.2.gz', 'nanomdm.log.1.gz'));
    expect(note(gz, 'notnow.note.done_later')).toBeDefined();
  });
});

describe('the same rotations as members of one archive of the server folder', () => {
  it('orders them by the rotation too', async () => {
    const [newer, older] = notNowThenAck('nanomdm.log.1', 'nanomdm.log').map((p) => readFileSync(p, 'utf8'));
    const archive = file(
      'mdm-server-logs.tar.gz',
      tgz([
        { path: 'var/log/nanomdm/nanomdm.log', data: newer! },
        { path: 'var/log/nanomdm/nanomdm.log.1', data: older! },
      ]),
    );
    const r = await diagnose(archive);
    expect(note(r, 'notnow.note.done_later')).toBeDefined();
    expect(facts(r, 'notnow.last_status_per_device').map((f) => f.value)).toEqual(['Acknowledged']);
  });
});

describe('a NotNow and an Acknowledged in the same second in two logs whose names tell nothing of their age', () => {
  // A device does not answer NotNow to a command it already carried out: an Acknowledged that cannot be put
  // before the NotNow means done later, whichever way the names sort (as for two result plists without times).
  it('reads the command as carried out later whichever way the names sort', async () => {
    const r = await diagnose(...notNowThenAck('server-a.log', 'server-b.log'));
    expect(note(r, 'notnow.note.done_later')).toBeDefined();
    const b = await diagnose(...notNowThenAck('server-b.log', 'server-a.log'));
    expect(note(b, 'notnow.note.done_later')).toBeDefined();
  });
});

describe('a push at the end of nanomdm.log.1 and the device polling at the start of nanomdm.log, in one second', () => {
  const [newer, older] = named(
    ['nanomdm.log', `${nanoIdle(nanoLib, '2026-11-20T10:00:00', UDID_A).join('\n')}\n`],
    ['nanomdm.log.1', `${[...nanoTokenUpdate(nanoLib, '2026-11-20T09:00:00', UDID_A), ...nanoPush(nanoLib, '2026-11-20T10:00:00', UDID_A)].join('\n')}\n`],
  );

  it('counts the poll as the answer to the push', async () => {
    const r = await diagnose(older, newer, '--topic', TOPIC);
    expect(facts(r, 'server.push_answered').map((f) => f.value)).toContain(true);
  });
});

describe("APNs's 410 in nanomdm.log.1, then a TokenUpdate and an accepted push in nanomdm.log (zone-less stamps)", () => {
  const dead = (t: string) =>
    goLog(t, `level=info service=push msg=push id=${UDID_A} err="push HTTP status: 410: APNs push error: Unregistered: timestamp 1763629200"`);

  it('the rotations share one clock: the later lines supersede the 410, which no longer makes a dead token likely', async () => {
    const r = await diagnose(
      ...named(
        ['nanomdm.log', `${[...nanoTokenUpdate(goLog, '2026-11-20 10:00:00', UDID_A), ...nanoPush(goLog, '2026-11-20 10:05:00', UDID_A)].join('\n')}\n`],
        ['nanomdm.log.1', `${dead('2026-11-20 09:00:00')}\n`],
      ),
    );
    for (const id of ['mdm.wrong_token', 'mdm.unenrolled', 'mdm.wiped']) expect(cause(r, id)?.status, id).not.toBe('likely');
  });
});
