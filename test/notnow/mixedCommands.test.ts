import { describe, expect, it } from 'vitest';
import type { Fact } from '../../src/facts/schema.js';
import { heldRules, run, statusOf } from '../rules/helpers.js';

const fact = (name: string, value: Fact['value']): Fact => ({ name, value, source: { kind: 'file', input: 'server.log', line: 3 } });

describe('a Mac on battery in Power Nap refused several commands, only some of them exempt', () => {
  const mac = [fact('device.platform', 'macos'), fact('notnow.seen', true), fact('notnow.on_battery', true), fact('notnow.power_nap', true)];

  it('is Power Nap when any refused command is outside the exempt list', () => {
    const d = run([...mac, fact('notnow.command', 'DeviceLockCommand'), fact('notnow.command', 'InstalledApplicationListCommand')]);
    expect(statusOf(d, 'notnow.power_nap')).toBe('confirmed');
    expect(heldRules(d, 'notnow.power_nap')).not.toContain('notnow.power_nap.excluded');
  });

  it('is not Power Nap when every refused command is one a Mac runs even then', () => {
    const d = run([...mac, fact('notnow.command', 'DeviceLockCommand'), fact('notnow.command', 'RestartDeviceCommand')]);
    expect(statusOf(d, 'notnow.power_nap')).toBe('ruled_out');
  });
});
