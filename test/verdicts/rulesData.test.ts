import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../src/engine/diagnose.js';
import { defaultRulesDir, loadRules, RuleLoadError } from '../../src/engine/loadRules.js';
import type { Fact } from '../../src/facts/schema.js';
import { runCase } from '../../src/index.js';
import { file, MAGIC, microPush, sysdiagnose, TOKEN, TOPIC, UDID_A, mdmPushCert } from './evidence.js';
import { shipped } from '../support/rules.js';

/**
 * Issue 10 item 5: what decides a verdict lives in rules/ (which domains go
 * to Apple, the push-answered window, the Feedback checklist); the
 * TypeScript only evaluates it. Changing the data changes the verdict.
 */

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The shipped rules with one file edited. */
function editedRules(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pushcheck-rules-'));
  dirs.push(dir);
  cpSync(defaultRulesDir(), dir, { recursive: true });
  writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
  return dir;
}

const log = (line: number): Fact['source'] => ({ kind: 'file', input: 'nanomdm.log', line });
const UDID = '00008110-001A2C3E4F50801E';
// A push, and the device's poll 45 s later; the log goes on for an hour.
const pushThenLatePoll: Fact[] = [
  { name: 'server.topic', value: 'com.apple.mgmt.External.6c2f4e1a-8b3d-4a5e-9f70-1d2c3b4a5e6f', source: { kind: 'pasted', input: '--topic' } },
  { name: 'server.push_sent', value: true, at: '2024-05-06T09:00:00.000Z', source: log(10), attrs: { udid: UDID, channel: 'device', status: 'sent' } },
  { name: 'mdm.command.status', value: 'Idle', at: '2024-05-06T09:00:45.000Z', source: log(14), attrs: { udid: UDID, channel: 'device' } },
  { name: 'server.topic', value: 'com.apple.mgmt.External.6c2f4e1a-8b3d-4a5e-9f70-1d2c3b4a5e6f', at: '2024-05-06T10:00:00.000Z', source: log(90) },
];
const answered = (rulesDir?: string) =>
  diagnose({ facts: pushThenLatePoll }, loadRules(rulesDir))
    .facts.filter((f) => f.name === 'server.push_answered')
    .map((f) => f.value);

describe('the push-answered window is data', () => {
  it('with the shipped minute, a poll 45 s after the push answers it', () => {
    expect(shipped().parameters.push_answer_window_seconds?.value).toBe(60);
    expect(answered()).toEqual([true]);
  });

  it('with a 30-second window written into rules/, the same poll does not', () => {
    const dir = editedRules('mdm.yml', (t) => t.replace(/(push_answer_window_seconds:\n\s+value:) 60/, '$1 30'));
    expect(answered(dir)).toEqual([false]);
  });

  it('with no window in rules/, nothing is called answered or failed', () => {
    const dir = editedRules('mdm.yml', (t) => t.replace(/ {2}push_answer_window_seconds:\n( {4}.*\n| {6}.*\n)+/, ''));
    expect(loadRules(dir).parameters.push_answer_window_seconds).toBeUndefined();
    expect(answered(dir)).toEqual([]);
  });
});

describe('which domains go to Apple is data', () => {
  it('ships MDM and app pushes', () => {
    expect(shipped().escalation?.domains).toEqual(['mdm', 'apns']);
  });

  // An MDM case that ends at Apple with the shipped rules: a sysdiagnose agreeing with the server on
  // topic, token and PushMagic, the push certificate, and MicroMDM's log of two pushes APNs accepted
  // that the device never answered. Read by the real readers, through the library's runCase.
  const cert = mdmPushCert();
  const log = file(
    'micromdm.log',
    `${[microPush('2024-05-07T08:00:03.118204', UDID_A, '4E1F7A2B-9C3D-4E5F-8A6B-7C8D9E0F1A2B'), microPush('2024-05-07T08:15:00.771349', UDID_A, '5F2A8B3C-0D4E-4F6A-9B7C-8D9E0F1A2B3C')].join('\n')}\n`,
  );
  const bundle = sysdiagnose({ taken: '2024.05.07_09-02-00+0000', lastPollingSuccess: '2024-05-07T08:40:11Z', installed: '2023-05-02T10:00:00Z' });
  const failedMdmPush = (rulesDir?: string) =>
    runCase(
      {
        paths: [bundle, log, cert],
        serverValues: { values: { topic: TOPIC, magic: MAGIC, token: TOKEN } },
        now: { at: '2024-05-07T10:00:00Z', label: '--now' },
        answers: [{ question: 'q.mdm.network_ok', value: 'yes' }],
      },
      rulesDir ? { rules: loadRules(rulesDir) } : {},
    );

  it('with the shipped domains, the MDM case with every cause ruled out and a failed push gets a Feedback draft', async () => {
    const r = await failedMdmPush();
    expect(r.causes.filter((c) => c.status !== 'ruled_out').map((c) => c.id)).toEqual([]);
    expect(r.filing?.status).toBe('ready');
    expect(r.escalation?.feedbackDraft).toContain(TOPIC);
  });

  it('with MDM taken out of `domains` in rules/escalation.yml, the same evidence gets no draft', async () => {
    const dir = editedRules('escalation.yml', (t) => t.replace('domains: [mdm, apns]', 'domains: [apns]'));
    expect(loadRules(dir).escalation?.domains).toEqual(['apns']);
    const r = await failedMdmPush(dir);
    expect(r.causes.filter((c) => c.status !== 'ruled_out').map((c) => c.id)).toEqual([]);
    expect(r.escalation).toBeNull();
    expect(r.filing?.status).not.toBe('ready');
  });

  it('a checklist item reworded in rules/escalation.yml is what the draft and the report say', async () => {
    const dir = editedRules('escalation.yml', (t) => t.replace('item: Times of failed pushes\n', 'item: Times of the failed pushes, in UTC to the second\n'));
    const r = await failedMdmPush(dir);
    expect(r.filing?.checklist.find((c) => c.id === 'feedback.failed_push_times')?.item).toBe('Times of the failed pushes, in UTC to the second');
    expect(r.escalation?.feedbackDraft).toContain('Times of the failed pushes, in UTC to the second');
    const shipped = await failedMdmPush();
    expect(shipped.escalation?.feedbackDraft).not.toContain('in UTC to the second');
  });
});

describe('a broken escalation or parameter is a clear start-up error', () => {
  const issues = (dir: string) => {
    try {
      loadRules(dir);
    } catch (e) {
      expect(e).toBeInstanceOf(RuleLoadError);
      return (e as RuleLoadError).issues.map((i) => `${i.file.split('/').at(-1)}:${i.line ?? ''} ${i.message}`);
    }
    throw new Error('expected a RuleLoadError');
  };

  it('a checklist item testing a fact nobody defines', () => {
    const dir = editedRules('escalation.yml', (t) => t.replace('{ fact: server.push_token, op: exists', '{ fact: server.push_tokn, op: exists'));
    expect(issues(dir)).toEqual([expect.stringMatching(/^escalation\.yml:\d+ escalation uses unknown fact server\.push_tokn$/)]);
  });

  it('a parameter defined in two files', () => {
    const dir = editedRules(
      'escalation.yml',
      (t) => `${t}\nparameters:\n  magic_recheck_hours: { value: 24, says: twice, source: { document: x, section: y } }\n`,
    );
    expect(issues(dir)).toEqual([expect.stringMatching(/parameter parameters\.magic_recheck_hours is defined twice/)]);
  });

  it('an escalating domain without a failed-push condition', () => {
    const dir = editedRules('escalation.yml', (t) => t.replace(/\n {4}apns: \{ fact: case\.failed_push.*\n/, '\n'));
    expect(issues(dir)).toEqual([expect.stringMatching(/escalation domain apns has no failedPush condition/)]);
  });
});
