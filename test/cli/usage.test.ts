import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

describe('pushcheck on the command line', () => {
  it('prints help and exits 0', async () => {
    const r = await cli('help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/pushcheck diagnose/);
  });

  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['diagnose', '--format', 'yaml'], /--format takes text, markdown, json/],
    [['diagnose', '--answer', 'novalue'], /QUESTION_ID=VALUE/],
    [['diagnose', '--bogus'], /Unknown option '--bogus'/],
    [['diagnose', '--now', 'yesterday-ish'], /--now takes an ISO 8601 time/],
  ])('exits 2 with a clear message for %j', async (argv, message) => {
    const r = await cli(...(argv as string[]));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('still produces a report when an input does not exist, naming it under problems', async () => {
    const r = await cli('diagnose', '/nonexistent/sysdiagnose.tar.gz', '--topic', 'com.apple.mgmt.External.1', '--format', 'json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.schemaVersion).toBe(1);
    expect(report.problems[0].input).toBe('/nonexistent/sysdiagnose.tar.gz');
  });

  it('compares the server values given as flags with each other and asks for the device side', async () => {
    const r = await cli('diagnose', '--topic', 'com.apple.mgmt.External.1', '--magic', 'ABCD-1234-EF', '--format', 'json');
    const report = JSON.parse(r.out);
    expect(report.domains).toEqual(['mdm']);
    expect(report.facts.map((f: { fact: string; source: string }) => `${f.fact} ${f.source}`)).toEqual(
      expect.arrayContaining(['server.topic --topic', 'server.push_magic --magic']),
    );
    expect(report.questions.length).toBeGreaterThan(0);
  });

  it('rejects a malformed --token as a problem naming the flag, and carries on', async () => {
    const r = await cli('diagnose', '--token', 'not-a-token', '--topic', 'com.apple.mgmt.External.1', '--format', 'json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.problems.some((p: { input: string }) => p.input === '--token')).toBe(true);
  });
});
