import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/engine/loadRules.js';
import { diagnose } from '../../src/engine/diagnose.js';
import { buildReport } from '../../src/report/build.js';
import type { Fact } from '../../src/facts/schema.js';

const file = (name: string, value: Fact['value']): Fact => ({ name, value, source: { kind: 'file', input: 'sd.tar.gz', member: 'logs/MCState/Shared/MDM.plist' } });
const pasted = (name: string, value: Fact['value']): Fact => ({ name, value, source: { kind: 'pasted', input: '--x' } });

describe('engine smoke', () => {
  it('confirms wrong magic', () => {
    const rules = loadRules();
    const d = diagnose({ facts: [file('device.push_magic', 'AAAA-1111'), pasted('server.push_magic', 'BBBB-2222'), file('device.topic', 'com.apple.mgmt.External.x')] }, rules);
    const r = buildReport(d);
    expect(r.causes.find((c) => c.id === 'mdm.wrong_magic')?.status).toBe('confirmed');
    console.log(JSON.stringify(r.questions.map((q) => [q.id, q.settles]), null, 0));
  });
});
