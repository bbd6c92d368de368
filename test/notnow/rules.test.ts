import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Answer } from '../../src/engine/answers.js';
import type { Fact } from '../../src/facts/schema.js';
import { runCase } from '../../src/case/index.js';
import { heldRules, run, statusOf } from '../rules/helpers.js';
import { fixture, handedOut, nothingLeft, readServerLog, statusLine } from './helpers.js';

const MAC = '5A2F6C1E-3B7D-5E90-8C41-0D2E7A9B1F34';
const U1 = '9b1e7c44-2f0a-4d6b-a8e3-51c2d7f0b6aa';
const U2 = 'c4d2a9e1-7b3f-4e8a-9d60-2f1b8c7a5e03';
const T0 = '2024-03-04T09:14:59Z';
const T1 = '2024-03-04T09:15:00Z';

/** A server log in which the device polls and refuses one command with NotNow, which is its last word. */
function refused(requestType: string, type = 'Device', id = MAC): string[] {
  return [
    statusLine(T0, id, 'Idle', undefined, type),
    handedOut(T0, id, U1, requestType, type),
    statusLine(T1, id, 'NotNow', U1, type),
    nothingLeft(T1, id, type),
  ];
}
const USER_CHANNEL = `${MAC}:A1B2C3D4-0000-1111-2222-333344445555`;

async function facts(lines: string[]): Promise<Fact[]> {
  return (await readServerLog(lines.join('\n'))).facts;
}
const platform = (value: string): Fact => ({
  name: 'device.platform',
  value,
  source: { kind: 'file', input: 'sysdiagnose.tar.gz', member: 'logs/SystemVersion.plist' },
});
const yes = (question: string): Answer => ({ question, value: 'yes' });
const no = (question: string): Answer => ({ question, value: 'no' });

interface Case {
  step: string;
  lines: string[];
  extra?: Fact[];
  answers?: Answer[];
  cause: string;
  status: 'confirmed' | 'likely' | 'ruled_out' | 'open';
  rule?: string;
}

const healthy = [statusLine(T0, MAC, 'Idle'), handedOut(T0, MAC, U2, 'DeviceInformation'), statusLine(T1, MAC, 'Acknowledged', U2), nothingLeft(T1, MAC)];

const cases: Case[] = [
  // Before first unlock
  {
    step: 'an iPhone refuses a command, and nobody has unlocked it since it restarted',
    lines: refused('InstallProfile'),
    extra: [platform('ios')],
    answers: [no('q.notnow.unlocked_since_boot')],
    cause: 'notnow.before_first_unlock',
    status: 'confirmed',
    rule: 'notnow.before_first_unlock.answered',
  },
  {
    step: 'the iPhone was unlocked since its restart',
    lines: refused('InstallProfile'),
    answers: [yes('q.notnow.unlocked_since_boot')],
    cause: 'notnow.before_first_unlock',
    status: 'ruled_out',
    rule: 'notnow.before_first_unlock.unlocked',
  },
  // A healthy log alone does not open the NotNow domain; someone said this is a NotNow case.
  {
    step: 'said to be a NotNow case, but no NotNow at all: not before-first-unlock',
    lines: healthy,
    answers: [{ question: 'q.case.domain', value: 'notnow' }],
    cause: 'notnow.before_first_unlock',
    status: 'ruled_out',
    rule: 'notnow.before_first_unlock.unlocked',
  },
  { step: 'a NotNow and no answer yet: open, ask', lines: refused('InstallProfile'), cause: 'notnow.before_first_unlock', status: 'open' },

  // Power Nap
  {
    step: 'a Mac on battery in Power Nap refuses an application inventory',
    lines: refused('InstalledApplicationList'),
    answers: [yes('q.notnow.on_battery'), yes('q.notnow.power_nap')],
    cause: 'notnow.power_nap',
    status: 'confirmed',
    rule: 'notnow.power_nap.on_battery_in_power_nap',
  },
  {
    step: 'a Mac on battery refuses a profile install (Power Nap not known yet)',
    lines: refused('InstallProfile'),
    extra: [platform('macos')],
    answers: [yes('q.notnow.on_battery')],
    cause: 'notnow.power_nap',
    status: 'likely',
    rule: 'notnow.power_nap.likely',
  },
  {
    step: 'a Mac on battery in Power Nap refuses DeviceLock, which Power Nap does not stop',
    lines: refused('DeviceLock'),
    answers: [yes('q.notnow.on_battery'), yes('q.notnow.power_nap')],
    cause: 'notnow.power_nap',
    status: 'ruled_out',
    rule: 'notnow.power_nap.excluded',
  },
  {
    step: 'the refusing Mac was plugged in',
    lines: refused('InstalledApplicationList'),
    extra: [platform('macos')],
    answers: [no('q.notnow.on_battery')],
    cause: 'notnow.power_nap',
    status: 'ruled_out',
    rule: 'notnow.power_nap.excluded',
  },
  {
    step: 'an iPad is never in Power Nap',
    lines: refused('InstalledApplicationList'),
    extra: [platform('ipados')],
    cause: 'notnow.power_nap',
    status: 'ruled_out',
    rule: 'notnow.power_nap.excluded',
  },

  // Keychain locked
  {
    step: 'a profile install on the user channel is refused while the user is logged out',
    lines: refused('InstallProfile', 'User', USER_CHANNEL),
    answers: [yes('q.notnow.keychain_locked')],
    cause: 'notnow.keychain_locked',
    status: 'confirmed',
    rule: 'notnow.keychain_locked.answered',
  },
  {
    step: 'a profile removal on the user channel is refused (keychain state not known)',
    lines: refused('RemoveProfile', 'User', USER_CHANNEL),
    cause: 'notnow.keychain_locked',
    status: 'likely',
    rule: 'notnow.keychain_locked.user_channel_profile',
  },
  {
    step: 'the refused profile install went to the device channel',
    lines: refused('InstallProfile'),
    cause: 'notnow.keychain_locked',
    status: 'ruled_out',
    rule: 'notnow.keychain_locked.excluded',
  },

  // Login blocking
  {
    step: 'an application inventory is refused while the Mac holds the user at the login window',
    lines: refused('InstalledApplicationList'),
    answers: [yes('q.notnow.login_blocked')],
    cause: 'notnow.login_blocking',
    status: 'confirmed',
    rule: 'notnow.login_blocking.long_request',
  },
  {
    step: 'some other request is refused while login is held',
    lines: refused('SecurityInfo'),
    answers: [yes('q.notnow.login_blocked')],
    cause: 'notnow.login_blocking',
    status: 'likely',
    rule: 'notnow.login_blocking.answered',
  },
  {
    step: 'login was not held',
    lines: refused('InstalledApplicationList'),
    answers: [no('q.notnow.login_blocked')],
    cause: 'notnow.login_blocking',
    status: 'ruled_out',
    rule: 'notnow.login_blocking.excluded',
  },

  // Poll suppressed
  {
    step: 'after the NotNow the server sent another command on the same connection and it was acknowledged',
    lines: [
      statusLine(T0, MAC, 'Idle'),
      statusLine(T1, MAC, 'NotNow', U1),
      handedOut(T1, MAC, U2, 'DeviceInformation'),
      statusLine(T1, MAC, 'Acknowledged', U2),
    ],
    cause: 'notnow.poll_suppressed',
    status: 'confirmed',
    rule: 'notnow.poll_suppressed.followed',
  },
  {
    step: 'the NotNow was the last status of its connection',
    lines: refused('InstalledApplicationList'),
    cause: 'notnow.poll_suppressed',
    status: 'ruled_out',
    rule: 'notnow.poll_suppressed.last_word',
  },

  // Not resent
  {
    step: 'the device polled again and the server sent nothing',
    lines: [...refused('InstalledApplicationList'), statusLine('2024-03-04T11:02:10Z', MAC, 'Idle'), nothingLeft('2024-03-04T11:02:10Z', MAC)],
    cause: 'notnow.not_resent',
    status: 'confirmed',
    rule: 'notnow.not_resent.from_log',
  },
  {
    step: 'the server team says NotNow commands are dropped',
    lines: refused('InstalledApplicationList'),
    answers: [no('q.notnow.server_resends')],
    cause: 'notnow.not_resent',
    status: 'likely',
    rule: 'notnow.not_resent.answered',
  },
  {
    step: 'the device polled again and got the refused command again',
    lines: [
      ...refused('InstalledApplicationList'),
      statusLine('2024-03-04T11:02:10Z', MAC, 'Idle'),
      handedOut('2024-03-04T11:02:10Z', MAC, U1, 'InstalledApplicationList'),
      statusLine('2024-03-04T11:02:14Z', MAC, 'Acknowledged', U1),
    ],
    cause: 'notnow.not_resent',
    status: 'ruled_out',
    rule: 'notnow.not_resent.resent',
  },
];

describe('NotNow rules, one troubleshooting step at a time', () => {
  for (const c of cases) {
    it(`${c.step} → ${c.cause} ${c.status}`, async () => {
      const d = run([...(await facts(c.lines)), ...(c.extra ?? [])], c.answers ?? []);
      expect(statusOf(d, c.cause)).toBe(c.status);
      if (c.rule) expect(heldRules(d, c.cause)).toContain(c.rule);
      else expect(heldRules(d, c.cause)).toEqual([]);
    });
  }

  it('a logged-in, unlocked user rules the keychain out even for a user-channel profile command', async () => {
    const d = run(await facts(refused('InstallProfile', 'User', USER_CHANNEL)), [no('q.notnow.keychain_locked')]);
    // The log alone suggests it; the answer rules it out, and a ruling-out answer beats a suggestion.
    expect(statusOf(d, 'notnow.keychain_locked')).toBe('ruled_out');
    expect(heldRules(d, 'notnow.keychain_locked')).toEqual(['notnow.keychain_locked.excluded', 'notnow.keychain_locked.user_channel_profile']);
  });

  it('asks what a person can tell about a refusing Mac', async () => {
    const d = run([...(await facts(refused('InstalledApplicationList'))), platform('macos')]);
    const asked = d.questions.map((q) => q.question.id);
    for (const q of ['q.notnow.on_battery', 'q.notnow.power_nap', 'q.notnow.login_blocked', 'q.notnow.unlocked_since_boot', 'q.notnow.server_resends'])
      expect(asked).toContain(q);
  });

  it('a healthy log does not open the NotNow domain; asked about NotNow anyway, every NotNow cause is ruled out', async () => {
    expect(run(await facts(healthy)).domains).not.toContain('notnow');
    const d = run(await facts(healthy), [{ question: 'q.case.domain', value: 'notnow' }]);
    const notnow = d.causes.filter((c) => c.cause.domain === 'notnow');
    expect(notnow).toHaveLength(6);
    expect(notnow.map((c) => c.status)).toEqual(notnow.map(() => 'ruled_out'));
  });
});

/** How many observations report facts stand for (a folded fact counts each one it holds). */
const observations = (facts: { count?: number }[]) => facts.reduce((n, f) => n + (f.count ?? 1), 0);

describe('whole cases through the pipeline', () => {
  it('a NanoMDM log of a healthy round trip: no NotNow cause', async () => {
    const report = await runCase({ paths: [fileURLToPath(fixture('nanomdm_2021_round_trip.log'))] });
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

  it('a macOS log export with MicroMDM lines below it reads without a problem from the server-log reader', async () => {
    const report = await runCase({ paths: [fileURLToPath(new URL('../fixtures/text/log_show_default_mdmclient_with_server_lines.log', import.meta.url))] });
    expect(report.problems.filter((p) => p.code.startsWith('mdmlog.'))).toEqual([]);
    expect(observations(report.facts.filter((f) => f.fact === 'mdm.command.status' && f.attrs?.request_type === 'InstallApplication'))).toBeGreaterThanOrEqual(
      2,
    );
  });

  it("done when: a NotNow followed on the same connection by another command's Acknowledged → poll_suppressed confirmed with its lines", async () => {
    const path = fileURLToPath(fixture('nanomdm_notnow_then_acknowledged.log'));
    const report = await runCase({ paths: [path] });
    const cause = report.causes.find((c) => c.id === 'notnow.poll_suppressed')!;
    expect(cause.status).toBe('confirmed');
    // The NotNow line itself, and the derived step that names the Acknowledged line after it.
    expect(cause.evidence.map((e) => [e.fact, e.value, e.source])).toEqual(
      expect.arrayContaining([
        ['mdm.command.status', 'NotNow', `${path}:8`],
        [
          'notnow.followed_on_same_connection',
          true,
          `NotNow for InstalledApplicationList at ${path}:8 (2024-03-04T09:15:00.000Z), then Acknowledged for DeviceInformation at ${path}:11 (2024-03-04T09:15:01.000Z) on the same connection`,
        ],
      ]),
    );
    expect(cause.nextSteps.join(' ')).toMatch(/Push to the device later/);
    // Only the domain the evidence speaks to: statuses and pushes in a server log are NotNow evidence, not an MDM push failure.
    expect(report.domains).toEqual(['notnow']);
    expect(report.causes.filter((c) => c.domain === 'apns' || c.domain === 'securemail')).toEqual([]);
    expect(report.causes.filter((c) => c.domain === 'mdm')).toEqual([]);
    expect(report.headline).toMatch(/^Found: The server kept talking after the NotNow/);
  });
});
