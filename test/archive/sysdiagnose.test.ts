import { describe, expect, it } from 'vitest';
import { parseSysdiagnoseName, sysdiagnoseFacts } from '../../src/evidence/sysdiagnose.js';

describe('what a sysdiagnose name says about the device', () => {
  it('an iPhone: local time with its UTC offset becomes UTC', () => {
    expect(parseSysdiagnoseName('sysdiagnose_2024.03.01_10-22-33-0800_iPhone-OS_iPhone_21E236')).toEqual({
      at: '2024-03-01T18:22:33Z',
      platform: 'ios',
      osBuild: '21E236',
      deviceClass: 'iPhone',
    });
  });

  it('a Mac, east of UTC, across midnight', () => {
    expect(parseSysdiagnoseName('sysdiagnose_2023.11.02_00-15-01+0100_macOS_Mac_23B81.tar.gz')).toMatchObject({
      at: '2023-11-01T23:15:01Z',
      platform: 'macos',
      osBuild: '23B81',
    });
  });

  it('the iOS 12 spelling, an iPad, a beta build, and a name whose date lost its dots in transit', () => {
    expect(parseSysdiagnoseName('sysdiagnose_2019.02.13_15-50-14+0100_iPhone_OS_iPhone_16C101')).toMatchObject({
      platform: 'ios',
      osBuild: '16C101',
      at: '2019-02-13T14:50:14Z',
    });
    expect(parseSysdiagnoseName('sysdiagnose_2024.05.01_08-00-00-0400_iPhone-OS_iPad_21F79')).toMatchObject({ platform: 'ipados' });
    expect(parseSysdiagnoseName('sysdiagnose_2026.08.07_21-16-27-0700_macOS_Mac_26A5388g.tar.gz')).toMatchObject({ osBuild: '26A5388g' });
    expect(parseSysdiagnoseName('sysdiagnose_20261008_09-10-11-0000_macOS_Mac_25G229.targ.zip')).toMatchObject({
      at: '2026-10-08T09:10:11Z',
      osBuild: '25G229',
    });
  });

  it('no UTC offset means no time rather than a guessed one; other names mean nothing', () => {
    const n = parseSysdiagnoseName('sysdiagnose_2024.03.01_10-22-33_iPhone-OS_iPhone_21E236');
    expect(n?.at).toBeUndefined();
    expect(n?.osBuild).toBe('21E236');
    expect(parseSysdiagnoseName('logs')).toBeUndefined();
    expect(sysdiagnoseFacts('Sysdiagnose_2025-05-15_13-45-32', { kind: 'file', input: 'x' })).toEqual([]);
  });

  it('a model identifier is reported only when the name holds one', () => {
    expect(parseSysdiagnoseName('sysdiagnose_2024.03.01_10-22-33-0800_iPhone-OS_iPhone14,2_21E236')).toMatchObject({ model: 'iPhone14,2', platform: 'ios' });
    const facts = sysdiagnoseFacts('sysdiagnose_2024.03.01_10-22-33-0800_iPhone-OS_iPhone_21E236', { kind: 'file', input: 'a.tgz', member: 'x/' });
    expect(facts.map((f) => f.name)).toEqual(['device.sysdiagnose_at', 'device.platform', 'device.os_build']);
  });
});
