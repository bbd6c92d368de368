import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/engine/diagnose.js';
import type { Fact } from '../../src/facts/schema.js';
import { buildReport } from '../../src/case/index.js';
import { renderJson, renderMarkdown, renderText } from '../../src/report/render/index.js';
import { shipped } from '../support/rules.js';

/** A seeded shuffle (mulberry32), so the test itself is repeatable. */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  let a = seed >>> 0;
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const file = (member: string, name: string, value: Fact['value'], at?: string): Fact => ({
  name,
  value,
  source: { kind: 'file', input: 'sd.tgz', member },
  ...(at ? { at } : {}),
});

const facts: Fact[] = [
  file('logs/MCState/Shared/MDM.plist', 'device.push_magic', 'MAGIC-A'),
  file('logs/MCState/Shared/MDM.plist', 'device.push_token_hash', 'aa'.repeat(32)),
  file('logs/MCState/Shared/profile-1.stub', 'device.topic', 'com.apple.mgmt.External.1'),
  file('logs/MCState/Shared/profile-2.stub', 'device.topic', 'com.apple.mgmt.External.2'),
  file('system.log', 'device.log.magic_rejection', true, '2026-11-20T10:00:00.000Z'),
  file('system.log', 'device.log.magic_rejection', true, '2026-11-20T09:00:00.000Z'),
  file('system.log', 'device.log.courier_connected', true, '2026-11-20T08:00:00.000Z'),
  { name: 'server.push_magic', value: 'MAGIC-B', source: { kind: 'pasted', input: '--magic' } },
  { name: 'server.push_token', value: 'bb'.repeat(32), source: { kind: 'pasted', input: '--token' } },
  { name: 'server.topic', value: 'com.apple.mgmt.External.1', source: { kind: 'pasted', input: '--topic' } },
];

describe('same evidence in, same report out', () => {
  const rules = shipped();
  const render = (fs: Fact[]) => {
    const r = buildReport(diagnose({ facts: fs, answers: [{ question: 'q.mdm.wiped', value: 'no' }] }, rules));
    return renderJson(r) + renderMarkdown(r) + renderText(r);
  };

  it('gives byte-identical output whatever order the facts arrive in', () => {
    const reference = render(facts);
    for (let seed = 1; seed <= 25; seed++) expect(render(shuffle(facts, seed))).toBe(reference);
  });

  it('gives the same output when the same file is read twice', () => {
    expect(render([...facts, ...facts])).toBe(render(facts));
  });
});
