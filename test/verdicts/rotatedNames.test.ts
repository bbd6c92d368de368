import { describe, expect, it } from 'vitest';
import { rotationOrder } from '../../src/facts/time.js';
import { diagnose, facts, goLog, named, note, UDID_A } from './evidence.js';

/**
 * Rotations that put the date in the file's name before `.log`: winston's daily files
 * (`nanomdm-2026-11-29.log`, `nanomdm-2026-11-30.log`) and lumberjack's backups beside the live file
 * (`nanomdm-2026-11-30T10-15-00.000.log` beside `nanomdm.log`). A NotNow at the end of the older file and
 * the Acknowledged at the start of the newer one, stamped with the same second in the server's local time
 * (Go's log prefix, no zone): the rotation says which came first, whatever order the files are given in.
 */
const CMD = '9b1e7c44-2f0a-4d6b-a8e3-51c2d7f0b6aa';
const status = (t: string, s: string) => goLog(`2026-11-30T${t}`, `level=info service=nanomdm id=${UDID_A} type=Device status=${s} command_uuid=${CMD}`);
const retrieved = (t: string) =>
  goLog(`2026-11-30T${t}`, `level=info service=nanomdm id=${UDID_A} type=Device msg=command retrieved command_uuid=${CMD} request_type=InstallProfile`);

const notNowThenAck = (older: string, newer: string) =>
  named(
    [newer, `${[status('10:15:00', 'Idle'), retrieved('10:15:00'), status('10:15:00', 'Acknowledged')].join('\n')}\n`],
    [older, `${[status('10:14:58', 'Idle'), retrieved('10:14:58'), status('10:15:00', 'NotNow')].join('\n')}\n`],
  );

describe('a NotNow and the Acknowledged after it, one second, two files whose names carry their dates', () => {
  it('winston daily files: the earlier date is the older file', async () => {
    const r = await diagnose(...notNowThenAck('nanomdm-2026-11-29.log', 'nanomdm-2026-11-30.log'));
    expect(note(r, 'notnow.note.done_later')?.text).toMatch(/InstallProfile/);
    expect(facts(r, 'notnow.last_status_per_device').map((f) => f.value)).toEqual(['Acknowledged']);
  });

  it('a lumberjack backup is older than the live file beside it', async () => {
    const r = await diagnose(...notNowThenAck('nanomdm-2026-11-30T10-15-00.000.log', 'nanomdm.log'));
    expect(note(r, 'notnow.note.done_later')).toBeDefined();
    expect(facts(r, 'notnow.last_status_per_device').map((f) => f.value)).toEqual(['Acknowledged']);
  });

  it('gzipped daily files too', async () => {
    const r = await diagnose(...notNowThenAck('mdm-server.2026-11-29.log.gz', 'mdm-server.2026-11-30.log'));
    expect(note(r, 'notnow.note.done_later')).toBeDefined();
    expect(facts(r, 'notnow.last_status_per_device').map((f) => f.value)).toEqual(['Acknowledged']);
  });
});

describe('which of two files is older, by their names alone', () => {
  it('the earlier date, the backup before the live file, an older rotation before a newer one; two logs say nothing of each other', () => {
    expect(rotationOrder('logs/nanomdm-2026-11-29.log', 'logs/nanomdm-2026-11-30.log')).toBe(-1);
    expect(rotationOrder('logs/nanomdm-2026-11-30T10-15-00.000.log', 'logs/nanomdm.log')).toBe(-1);
    expect(rotationOrder('logs/nanomdm.log', 'logs/nanomdm-2026-11-30T10-15-00.000.log')).toBe(1);
    expect(rotationOrder('logs/nanomdm-2026-11-30T09-00-00.000.log', 'logs/nanomdm-2026-11-30T10-15-00.000.log')).toBe(-1);
    expect(rotationOrder('logs/mdm-server.2026-11-29.log.gz', 'logs/mdm-server.2026-11-30.log')).toBe(-1);
    expect(rotationOrder('logs/nanomdm-2026-11-29.log', 'logs/scep-2026-11-30.log')).toBe(0);
    expect(rotationOrder('logs/nanomdm-2026-11-29.log', 'other/nanomdm-2026-11-30.log')).toBe(0);
  });
});
