// The first thing the report says about each real-world file on its own: the kind of case, the headline's
// next step, and notes that are true of that file. Read as a senior MDM support engineer reads them.
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { REALWORLD_DIR, realworld, realworldFiles } from './files.js';

interface Report {
  domains: string[];
  headline: string;
  notes: { id: string; text: string }[];
  questions: { id: string }[];
  causes: { id: string; status: string }[];
}

async function json(file: string, ...more: string[]): Promise<Report> {
  const r = await cli('diagnose', realworld(file), ...more, '--format', 'json');
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as Report;
}

async function text(file: string): Promise<string> {
  const r = await cli('diagnose', realworld(file));
  expect(r.code, r.err).toBe(0);
  return r.out;
}

describe('every real-world file opens a kind of case and names no folder of the machine that read it', () => {
  it.each(realworldFiles())('%s', async (file) => {
    const r = await json(file);
    expect(r.domains.length, `${file}: ${r.headline}`).toBeGreaterThan(0);
    expect(r.questions.map((q) => q.id)).not.toContain('q.case.domain');
    for (const detail of ['summary', 'full']) {
      const out = (await cli('diagnose', realworld(file), '--detail', detail)).out;
      expect(out).not.toContain(REALWORLD_DIR);
      expect(out).not.toContain('UTC (zone unknown)');
    }
  });
});

describe('MDM command results', () => {
  it('a DeviceInformation Acknowledged result is an MDM push case whose first question is what APNs answered', async () => {
    const r = await json('nanomdm_cmdresult_DeviceInformation_Acknowledged.plist');
    expect(r.domains).toEqual(['mdm']);
    expect(r.headline).toBe("Nothing confirmed yet — answer this: What did APNs answer the MDM server's push with?");
  });

  it("the 2017 mdmclient log with MicroMDM's lines: one note, the time in UTC beside the Mac's -04:00", async () => {
    const file = 'macos_log_show_default_style_mdmclient_InstallApplication_2017.log';
    const r = await json(file);
    expect(r.notes.map((n) => n.id)).toEqual(['mdm.note.device_answers_commands_and_log']);
    const out = await text(file);
    expect(out).toContain('4A7A3EC2-6755-4113-A5AF-AC10574D953A: Acknowledged');
    expect(out).toContain('answered at 2017-04-30 01:30:02 UTC (2017-04-29 21:30:02 at -04:00)');
    expect(out).not.toContain('21:30:02.362540-0400');
  });
});

describe('check-ins', () => {
  it.each(['nanomdm_checkin_TokenUpdate_with_UnlockToken.plist', 'nanomdm_checkin_TokenUpdate_macOS.plist', 'micromdm_webhook_TokenUpdate_event.json'])(
    "%s: the report shows the TokenUpdate's topic, PushMagic and token hash to compare with the device",
    async (file) => {
      const note = (await json(file)).notes.find((n) => n.id === 'mdm.note.token_update_values');
      expect(note?.text).toMatch(/topic com\.apple\.mgmt\.External\.[0-9a-f-]{36}, PushMagic [0-9A-F-]{36}, token [0-9a-f]{64} \(SHA-256 [0-9a-f]{64}\)/);
    },
  );
});

describe('provisioning profiles', () => {
  it('the expired enterprise profile with aps-environment production asks first which APNs host the provider uses, and says its end date', async () => {
    const r = await json('mobileprovision_enterprise_aps_production.mobileprovision');
    expect(r.questions[0]?.id).toBe('q.apns.provider_host');
    expect(r.notes.find((n) => n.id === 'apns.note.profile_environment')?.text).toContain('aps-environment production and is valid until 2016-06-24');
    // Judged against the failing push's time, the 2016 end date confirms the profile is out of date.
    const later = await json('mobileprovision_enterprise_aps_production.mobileprovision', '--answer', 'q.case.now=2024-05-07T09:00:00Z');
    expect(later.causes.find((c) => c.id === 'apns.stale_provisioning_profile')?.status).toBe('confirmed');
  });
});

describe('a healthy NanoMDM round trip', () => {
  it('says no fault was found and the latest push arrived, not that every cause of a failure was ruled out', async () => {
    const r = await json('nanomdm_server_log_quickstart_success.log');
    expect(r.headline).toMatch(/^No fault found: the latest push on record arrived/);
  });
});

describe('real files handed over together', () => {
  const several = async (...files: string[]) => {
    const r = await cli('diagnose', ...files.map(realworld), '--format', 'json');
    expect(r.code, r.err).toBe(0);
    return JSON.parse(r.out) as Report & { facts: { fact: string; value: unknown }[] };
  };

  it("a TokenUpdate of one device beside the NanoMDM log of another: asks which device, instead of judging one by the other's pushes", async () => {
    const r = await several('nanomdm_checkin_TokenUpdate_with_UnlockToken.plist', 'nanomdm_server_log_quickstart_success.log');
    expect(r.questions[0]?.id).toBe('q.case.device');
    expect(r.facts.filter((f) => f.fact === 'case.device')).toEqual([]);
  });

  it('the NanoMDM enrollment template beside a real macOS TokenUpdate: the template cannot work, but the device did not enroll with its placeholder', async () => {
    const r = await several('nanomdm_checkin_TokenUpdate_macOS.plist', 'nanomdm_enroll.mobileconfig');
    expect(r.causes.find((c) => c.id === 'mdm.enrollment_profile_unusable')?.status).toBe('confirmed');
    expect(r.causes.find((c) => c.id === 'mdm.wrong_topic')?.status).toBe('open');
  });

  it('an Authenticate and a TokenUpdate of the same iPad are one device: no question which', async () => {
    const r = await several('nanomdm_checkin_Authenticate_iOS9_iPad.plist', 'nanomdm_checkin_TokenUpdate_with_UnlockToken.plist');
    expect(r.domains).toEqual(['mdm']);
    expect(r.questions.map((q) => q.id)).not.toContain('q.case.device');
  });
});
