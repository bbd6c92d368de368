import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run, statusOf as engineStatus } from '../rules/helpers.js';
import { one, scan } from '../text/helpers.js';
import { cause, diagnoseJson, facts, sample, statusOf } from './helpers.js';

/**
 * Enrollment that never completed: no identity, no TokenUpdate, so nothing
 * for the server to push to; or a profile that cannot work whatever the push
 * setup. Samples are written in the forms devices and servers produce them:
 * profiled's NSError dumps in the device log, the .mobileconfig as served.
 */
const MDM_PLIST = readFileSync(new URL('../fixtures/mdm/MDM.plist', import.meta.url), 'utf8');

describe('the device could not get its identity from the SCEP server', () => {
  it('profiled says so in its NSError dump, and the line with the domain alone is read too', async () => {
    const { facts: fs } = await scan(readFileSync(sample('profiled_scep_failure.log'), 'utf8'), { name: 'Annas-iPad.log' });
    const scep = fs.filter((f) => f.name === 'device.log.scep_failure');
    expect(scep.length).toBeGreaterThanOrEqual(2);
    expect(scep[0].attrs).toMatchObject({ process: 'profiled', host: 'Annas-iPad' });
    expect(scep.some((f) => f.attrs?.domain === 'MCSCEPErrorDomain')).toBe(true);
  });

  it('macOS mdmclient names the SCEP step that failed', async () => {
    const { facts: fs } = await scan('mdmclient[611]: [ERROR] <: [MDM_SCEP_Enroll] Calling SCEPRequestCertSignature --> <NSOSStatusErrorDomain:-603>\n', {
      pasted: true,
    });
    expect(one(fs, 'device.log.scep_failure').attrs).toMatchObject({ code: '-603', domain: 'NSOSStatusErrorDomain' });
  });

  it('confirms enrollment stopped at the identity: no TokenUpdate, nothing to push to', async () => {
    const r = await diagnoseJson(sample('profiled_scep_failure.log'));
    const c = cause(r, 'mdm.enrollment_identity_failed');
    expect(c.status).toBe('confirmed');
    expect(c.because.join(' ')).toContain('no TokenUpdate');
    expect(c.nextSteps.join(' ')).toContain('SCEP');
  });

  it('is ruled out once the device shows an enrollment (a later attempt worked)', async () => {
    const r = await diagnoseJson(sample('profiled_scep_failure.log'), '--paste', MDM_PLIST);
    expect(statusOf(r, 'mdm.enrollment_identity_failed')).toBe('ruled_out');
  });
});

describe('the profile the server built has no Topic', () => {
  it('the device refused it: "The required field “Topic” is missing"', async () => {
    const r = await diagnoseJson(sample('profiled_topic_missing.log'));
    expect(facts(r, 'device.log.profile_refused').map((f) => f.value)).toEqual(['Topic']);
    const c = cause(r, 'mdm.enrollment_topic_missing');
    expect(c.status).toBe('confirmed');
    expect(c.nextSteps.join(' ')).toContain('push certificate');
    // A missing Topic is its own cause, not one more defect of the profile.
    expect(statusOf(r, 'mdm.enrollment_profile_unusable')).not.toBe('confirmed');
  });

  it('the served profile itself has an empty Topic', async () => {
    const r = await diagnoseJson(sample('enroll_no_topic.mobileconfig'));
    expect(facts(r, 'profile.topic_missing')[0]).toMatchObject({ value: true, source: expect.stringMatching(/enroll_no_topic\.mobileconfig:\d+$/) });
    expect(statusOf(r, 'mdm.enrollment_topic_missing')).toBe('confirmed');
  });

  it('a profile with its topic rules it out', async () => {
    const r = await diagnoseJson(sample('enroll_good.mobileconfig'));
    expect(statusOf(r, 'mdm.enrollment_topic_missing')).toBe('ruled_out');
  });
});

describe('an enrollment profile that cannot work names the key and why', () => {
  it('localhost server, no identity, a topic without its UUID', async () => {
    const r = await diagnoseJson(sample('enroll_localhost.mobileconfig'));
    const c = cause(r, 'mdm.enrollment_profile_unusable');
    expect(c.status).toBe('confirmed');
    const why = c.because.join(' ');
    expect(why).toContain('ServerURL https://localhost:9000/mdm names localhost');
    expect(why).toContain('IdentityCertificateUUID is missing');
    expect(why).toContain('Topic com.apple.mgmt.External lacks the UUID part');
    const keys = facts(r, 'profile.defect')
      .map((f) => f.attrs?.key)
      .sort();
    expect(keys).toEqual(['IdentityCertificateUUID', 'ServerURL', 'Topic']);
  });

  it('an identity that names no payload, a loopback address over http', async () => {
    const r = await diagnoseJson(sample('enroll_identity_unresolved.mobileconfig'));
    const why = cause(r, 'mdm.enrollment_profile_unusable').because.join(' ');
    expect(why).toContain('IdentityCertificateUUID 11111111-2222-4333-8444-555555555555 names no payload');
    expect(why).toContain('127.0.0.1');
  });

  it('a template host is named as such', async () => {
    const profile = readFileSync(sample('enroll_good.mobileconfig'), 'utf8').replace('https://mdm.acme-corp.net/mdm', 'https://server.url/mdm');
    const r = await diagnoseJson('--paste', profile);
    expect(facts(r, 'profile.defect').map((f) => [f.attrs?.key, f.attrs?.why])).toEqual([['ServerURL', 'placeholder_host']]);
    expect(cause(r, 'mdm.enrollment_profile_unusable').because.join(' ')).toContain('ServerURL https://server.url/mdm names server.url, a template host');
  });

  it('the device refused a profile for its missing identity field', async () => {
    const r = await diagnoseJson(sample('profiled_identity_missing.log'));
    const c = cause(r, 'mdm.enrollment_profile_unusable');
    expect(c.status).toBe('confirmed');
    expect(c.because.join(' ')).toContain('IdentityCertificateUUID');
  });

  it('template values left in are reported with the key they sit in', async () => {
    const template = readFileSync(sample('enroll_good.mobileconfig'), 'utf8')
      .replace('https://mdm.acme-corp.net/mdm', 'https://YOUR-MDM-SERVER/mdm')
      .replace('7c1e2f94b0a3d58e', 'CHANGEME');
    const r = await diagnoseJson('--paste', template);
    const c = cause(r, 'mdm.enrollment_profile_unusable');
    expect(c.rules.find((x) => x.id === 'mdm.enrollment_profile_unusable.placeholder')?.result).toBe(true);
    expect(c.because.join(' ')).toContain('Challenge = CHANGEME / ServerURL = https://YOUR-MDM-SERVER/mdm');
  });

  it('a sound profile is ruled out', async () => {
    const r = await diagnoseJson(sample('enroll_good.mobileconfig'));
    expect(facts(r, 'profile.defect')).toEqual([]);
    expect(statusOf(r, 'mdm.enrollment_profile_unusable')).toBe('ruled_out');
  });

  it('an enrolled device rules out every enrollment cause, whatever else is known', () => {
    const d = run([
      { name: 'server.topic', value: 'com.apple.mgmt.External.3f6c9a1e-52d7-4b80-9e14-c7a2d5f08b63', source: { kind: 'pasted', input: '--topic' } },
      {
        name: 'mdm.checkin.token_update',
        value: '2026-11-20T10:00:00.000Z',
        at: '2026-11-20T10:00:00.000Z',
        source: { kind: 'file', input: 'server.log', line: 4 },
      },
    ]);
    for (const id of ['mdm.enrollment_identity_failed', 'mdm.enrollment_topic_missing', 'mdm.enrollment_profile_unusable'])
      expect(engineStatus(d, id)).toBe('ruled_out');
  });
});
