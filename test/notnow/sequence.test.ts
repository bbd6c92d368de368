import { describe, expect, it } from 'vitest';
import { indexFacts } from '../../src/facts/byName.js';
import { commandName, notnowSequence } from '../../src/facts/derive/notnow.js';
import type { Fact } from '../../src/facts/schema.js';
import { handedOut, named, nothingLeft, readServerLog, statusLine } from './helpers.js';

const MAC = '5A2F6C1E-3B7D-5E90-8C41-0D2E7A9B1F34';
const IAP = '9b1e7c44-2f0a-4d6b-a8e3-51c2d7f0b6aa';
const DI = 'c4d2a9e1-7b3f-4e8a-9d60-2f1b8c7a5e03';

async function derive(lines: string[]): Promise<Fact[]> {
  const { facts } = await readServerLog(lines.join('\n'));
  return notnowSequence(indexFacts(facts));
}

describe('rebuilding the NotNow sequence', () => {
  it('names commands the way the NotNow document does', () => {
    expect(commandName('DeviceLock')).toBe('DeviceLockCommand');
    expect(commandName('InstalledApplicationList')).toBe('InstalledApplicationListCommand');
    expect(commandName('UserListCommand')).toBe('UserListCommand');
  });

  it('NotNow as the last status of the connection: the device will poll by itself', async () => {
    const out = await derive([
      statusLine('2024-03-04T09:14:59Z', MAC, 'Idle'),
      handedOut('2024-03-04T09:14:59Z', MAC, IAP, 'InstalledApplicationList'),
      statusLine('2024-03-04T09:15:00Z', MAC, 'NotNow', IAP),
      nothingLeft('2024-03-04T09:15:00Z', MAC),
    ]);
    expect(named(out, 'notnow.seen').map((f) => f.value)).toEqual([true]);
    expect(named(out, 'notnow.command').map((f) => [f.value, f.attrs?.request_type, f.attrs?.channel])).toEqual([
      ['InstalledApplicationListCommand', 'InstalledApplicationList', 'device'],
    ]);
    expect(named(out, 'notnow.channel').map((f) => f.value)).toEqual(['device']);
    expect(named(out, 'notnow.followed_on_same_connection').map((f) => f.value)).toEqual([false]);
    expect(named(out, 'notnow.last_status_per_device').map((f) => [f.value, f.attrs?.udid])).toEqual([['NotNow', MAC]]);
    // The device has not polled again yet: nothing to say about resending.
    expect(named(out, 'notnow.resent_after_poll')).toEqual([]);
  });

  it('another command answered on the same connection after the NotNow: the device will not poll by itself', async () => {
    const out = await derive([
      statusLine('2024-03-04T09:14:59Z', MAC, 'Idle'),
      statusLine('2024-03-04T09:15:00Z', MAC, 'NotNow', IAP),
      handedOut('2024-03-04T09:15:00Z', MAC, DI, 'DeviceInformation'),
      statusLine('2024-03-04T09:15:00Z', MAC, 'Acknowledged', DI),
    ]);
    const [f] = named(out, 'notnow.followed_on_same_connection');
    expect(f.value).toBe(true);
    // Same second: the log's own line order decides, and the evidence names both lines.
    expect(f.attrs).toMatchObject({
      notnow_at: 'mdm-server.log:2 (2024-03-04T09:15:00.000Z)',
      followed_by: 'Acknowledged for DeviceInformation',
      followed_at: 'mdm-server.log:4 (2024-03-04T09:15:00.000Z)',
    });
    expect(named(out, 'notnow.last_status_per_device').map((x) => x.value)).toEqual(['Acknowledged']);
  });

  it('a NotNow followed only by more NotNows is still the last word', async () => {
    const out = await derive([
      statusLine('2024-03-04T09:14:59Z', MAC, 'Idle'),
      statusLine('2024-03-04T09:15:00Z', MAC, 'NotNow', IAP),
      statusLine('2024-03-04T09:15:01Z', MAC, 'NotNow', DI),
    ]);
    expect(named(out, 'notnow.followed_on_same_connection').map((f) => f.value)).toEqual([false]);
  });

  it('the device polled again and the refused command came back: resent', async () => {
    const out = await derive([
      statusLine('2024-03-04T09:14:59Z', MAC, 'Idle'),
      handedOut('2024-03-04T09:14:59Z', MAC, IAP, 'InstalledApplicationList'),
      statusLine('2024-03-04T09:15:00Z', MAC, 'NotNow', IAP),
      nothingLeft('2024-03-04T09:15:00Z', MAC),
      statusLine('2024-03-04T11:02:10Z', MAC, 'Idle'),
      handedOut('2024-03-04T11:02:10Z', MAC, IAP, 'InstalledApplicationList'),
      statusLine('2024-03-04T11:02:14Z', MAC, 'Acknowledged', IAP),
    ]);
    const [r] = named(out, 'notnow.resent_after_poll');
    expect(r.value).toBe(true);
    expect(r.attrs).toMatchObject({ polled_at: 'mdm-server.log:5 (2024-03-04T11:02:10.000Z)', resent_at: 'mdm-server.log:6 (2024-03-04T11:02:10.000Z)' });
  });

  it('the device polled again and the server had nothing for it: not resent', async () => {
    const out = await derive([
      statusLine('2024-03-04T09:14:59Z', MAC, 'Idle'),
      handedOut('2024-03-04T09:14:59Z', MAC, IAP, 'InstalledApplicationList'),
      statusLine('2024-03-04T09:15:00Z', MAC, 'NotNow', IAP),
      nothingLeft('2024-03-04T09:15:00Z', MAC),
      statusLine('2024-03-04T11:02:10Z', MAC, 'Idle'),
      nothingLeft('2024-03-04T11:02:10Z', MAC),
    ]);
    expect(named(out, 'notnow.resent_after_poll').map((f) => [f.value, f.attrs?.request_type])).toEqual([[false, 'InstalledApplicationList']]);
  });

  it('without Idle or "no command" lines, a long pause separates connections', async () => {
    const out = await derive([
      statusLine('2024-03-04T09:15:00Z', MAC, 'NotNow', IAP),
      // Ten minutes later: a new connection, not a follower on the old one.
      statusLine('2024-03-04T09:25:00Z', MAC, 'Acknowledged', DI),
    ]);
    expect(named(out, 'notnow.followed_on_same_connection').map((f) => f.value)).toEqual([false]);
    expect(named(out, 'notnow.resent_after_poll').map((f) => f.value)).toEqual([false]);
  });

  it('keeps each device and each channel apart', async () => {
    const OTHER = '7C1D2E3F-4A5B-6C7D-8E9F-0A1B2C3D4E5F';
    const USER = `${MAC}:A1B2C3D4-0000-1111-2222-333344445555`;
    const out = await derive([
      statusLine('2024-03-04T09:14:59Z', MAC, 'Idle'),
      statusLine('2024-03-04T09:15:00Z', MAC, 'NotNow', IAP),
      statusLine('2024-03-04T09:15:00Z', OTHER, 'Idle'),
      statusLine('2024-03-04T09:15:01Z', OTHER, 'Acknowledged', DI),
      statusLine('2024-03-04T09:15:01Z', USER, 'Idle', undefined, 'User'),
      statusLine('2024-03-04T09:15:02Z', USER, 'Acknowledged', '11111111-2222-3333-4444-555555555555', 'User'),
    ]);
    expect(named(out, 'notnow.followed_on_same_connection').map((f) => f.value)).toEqual([false]);
    expect(named(out, 'notnow.last_status_per_device').map((f) => [f.attrs?.udid, f.attrs?.channel, f.value])).toEqual([
      [MAC, 'device', 'NotNow'],
      [MAC, 'user', 'Acknowledged'],
      [OTHER, 'device', 'Acknowledged'],
    ]);
  });

  it('a healthy log: no NotNow at all', async () => {
    const out = await derive([statusLine('2024-03-04T09:14:59Z', MAC, 'Idle'), statusLine('2024-03-04T09:15:00Z', MAC, 'Acknowledged', DI)]);
    expect(named(out, 'notnow.seen').map((f) => f.value)).toEqual([false]);
    expect(named(out, 'notnow.followed_on_same_connection')).toEqual([]);
  });

  it('does not depend on the order facts arrive in', async () => {
    const { facts } = await readServerLog(
      [
        statusLine('2024-03-04T09:14:59Z', MAC, 'Idle'),
        statusLine('2024-03-04T09:15:00Z', MAC, 'NotNow', IAP),
        statusLine('2024-03-04T09:15:00Z', MAC, 'Acknowledged', DI),
      ].join('\n'),
    );
    const a = notnowSequence(indexFacts(facts));
    const b = notnowSequence(indexFacts([...facts].reverse()));
    const key = (fs: Fact[]) => fs.map((f) => JSON.stringify([f.name, f.value, f.attrs])).sort();
    expect(key(b)).toEqual(key(a));
  });

  it('counts a status once when a second reader took it from the same line', async () => {
    const { facts } = await readServerLog([statusLine('2024-03-04T09:14:59Z', MAC, 'Idle'), statusLine('2024-03-04T09:15:00Z', MAC, 'NotNow', IAP)].join('\n'));
    const echo: Fact = { name: 'mdm.command.status', value: 'NotNow', source: facts[1].source, attrs: { origin: 'device log' } };
    const out = notnowSequence(indexFacts([...facts, echo]));
    expect(named(out, 'notnow.channel')).toHaveLength(1);
    expect(named(out, 'notnow.seen')[0].source).toMatchObject({ how: expect.stringMatching(/^1 NotNow/) });
  });
});
