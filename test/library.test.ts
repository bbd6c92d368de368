import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as pushcheck from '../src/index.js';

/**
 * README, "As a library": what a program importing pushcheck gets, through
 * the package's entry point (src/index.ts re-exports the case service, the
 * report types and the renderers).
 */
const example = (name: string) => fileURLToPath(new URL(`../examples/mdm-wrong-magic/${name}`, import.meta.url));
const SERVER_MAGIC = '0B9D6E24-C3F1-4A78-8E52-D17A4B6C9F03';

describe('pushcheck as a library', () => {
  it('runCase: paths, a labelled paste and an answer in, the report out, rendered as Markdown and as a timeline', async () => {
    const report = await pushcheck.runCase({
      paths: [example('MDM.plist')],
      pastes: [{ text: `server magic: ${SERVER_MAGIC}`, label: 'ticket #4711' }],
      answers: [{ question: 'q.mdm.wiped', value: 'no' }],
    });
    expect(report.schemaVersion).toBe(1);
    expect(report.causes.find((c) => c.id === 'mdm.wrong_magic')?.status).toBe('confirmed');
    expect(report.facts.find((f) => f.fact === 'server.push_magic')?.source).toMatch(/^ticket #4711/);
    expect(pushcheck.renderMarkdown(report)).toContain('PushMagic');
    const png = pushcheck.renderTimelinePng(report); // null with fewer than two timed events
    expect(png === null || png.subarray(1, 4).toString() === 'PNG').toBe(true);
  });

  it('collectEvidence and diagnoseEvidence split the same work in two; readStream reads a download', async () => {
    const evidence = await pushcheck.collectEvidence({ paths: [example('MDM.plist')], pastes: [{ text: `server magic: ${SERVER_MAGIC}`, label: 'ticket' }] });
    const once = pushcheck.diagnoseEvidence(evidence).report;
    const again = pushcheck.diagnoseEvidence(evidence, [{ question: 'q.mdm.wiped', value: 'no' }]).report;
    expect(once.causes.find((c) => c.id === 'mdm.wrong_magic')?.status).toBe('confirmed');
    expect(again.facts.length).toBeGreaterThanOrEqual(once.facts.length);
    const streamed = await pushcheck.readStream('MDM.plist', Readable.from([readFileSync(example('MDM.plist'))]), { limits: pushcheck.DEFAULT_LIMITS });
    expect(streamed.facts.map((f) => f.name)).toContain('device.push_magic');
  });

  it('diagnose → report → render: the same evidence gives the same report, byte for byte, in every format', async () => {
    const input = { paths: [example('MDM.plist')], pastes: [{ text: `server magic: ${SERVER_MAGIC}`, label: 'ticket #4711' }] };
    const [first, second] = [await pushcheck.runCase(input), await pushcheck.runCase(input)];
    expect(pushcheck.renderJson(second)).toBe(pushcheck.renderJson(first));
    expect(JSON.parse(pushcheck.renderJson(first)).causes.find((c: { id: string }) => c.id === 'mdm.wrong_magic').status).toBe('confirmed');
    const text = pushcheck.renderText(first);
    expect(text).toBe(pushcheck.renderText(second));
    expect(text).toContain('PushMagic');
    expect(pushcheck.renderMarkdown(first)).toBe(pushcheck.renderMarkdown(second));
  });

  it('keeps the names it has always exported', () => {
    for (const name of [
      'runCase',
      'collectEvidence',
      'diagnoseEvidence',
      'shippedRules',
      'diagnose',
      'loadRules',
      'RuleLoadError',
      'readPath',
      'readPaste',
      'readStream',
      'DEFAULT_LIMITS',
      'buildReport',
      'renderJson',
      'renderMarkdown',
      'renderText',
      'renderTimelinePng',
      'timelineSvg',
      'buildEscalation',
      'renderFeedbackDraft',
      'feedbackContext',
      'polishDraft',
      'DEFAULT_POLISH_MODEL',
      'DEFAULT_POLISH_TIMEOUT_MS',
      'prepareFeedback',
      'feedbackChecklist',
      'TIMELINE_FILE_NAME',
      'verifyDraft',
      'redactText',
      'redactValue',
      'secretsOf',
    ])
      expect(pushcheck, name).toHaveProperty(name);
  });
});
