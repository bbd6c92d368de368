import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';

/**
 * Troubleshooting step: "give pushcheck the server's values". A paste it
 * cannot use must say so, naming the paste, instead of vanishing silently.
 */
describe('a pasted text pushcheck cannot use is reported as a problem', () => {
  it('garbage pasted with --paste gets a problem naming --paste', async () => {
    const { code, out } = await cli('diagnose', '--paste', 'asdf;;; qwerty ☃ lorem ipsum', '--format', 'json');
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.problems).toEqual([expect.objectContaining({ input: '--paste', code: 'paste.unrecognised' })]);
    expect(report.problems[0].message).toMatch(/nothing pushcheck recognises/);
  });

  it('a huge single-line paste is reported too, and the rest of the evidence is still used', async () => {
    const { code, out } = await cli(
      'diagnose',
      '--paste',
      'x'.repeat(5 * 1024 * 1024),
      '--paste',
      'server topic: com.apple.mgmt.External.e0bd1eac-1f17-4c8e-8a63-dd17d3dd35d9',
      '--format',
      'json',
    );
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.problems).toEqual([expect.objectContaining({ input: '--paste 1', code: 'paste.unrecognised' })]);
    expect(report.facts.map((f: { fact: string }) => f.fact)).toContain('server.topic');
  });

  it('a paste that yields a value is not flagged', async () => {
    const { out } = await cli('diagnose', '--paste', 'magic: 5A1C0E2B-77D4-4F1A-9C3E-0D8B61F2A4C7', '--format', 'json');
    expect(JSON.parse(out).problems).toEqual([]);
  });
});
