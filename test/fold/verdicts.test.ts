import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluate, type Trace } from '../../src/engine/evaluate.js';
import { indexFacts } from '../../src/facts/byName.js';
import { deriveParams, type RuleSet } from '../../src/engine/loadRules.js';
import type { Condition } from '../../src/engine/ruleSchema.js';
import { readPath } from '../../src/evidence/read.js';
import { DEFAULT_LIMITS } from '../../src/evidence/types.js';
import { deriveFacts } from '../../src/facts/derive/index.js';
import { expandFacts, foldFacts } from '../../src/facts/fold.js';
import type { Fact } from '../../src/facts/schema.js';
import { file, logShow, MAGIC, nanoIdle, nanoLib, nanoPush, nanoTokenUpdate, REJECTED, sysdiagnose, TOPIC, UDID_A, UDID_B } from '../verdicts/evidence.js';
import { shipped } from '../support/rules.js';

/**
 * Folding must not move a verdict. Every input the project's tests read (and a
 * few busy logs built here) is read, derived from every observation, and then
 * judged twice: on every observation, and folded as the report keeps them.
 * Every rule, note, question trigger and Feedback condition must come out the
 * same, with the same facts missing.
 */

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : n === 'README.md' ? [] : [p];
  });
}

/** A busy NanoMDM server: two devices, pushes answered and not, an enrollment, a healthy poll every few seconds. */
function busyServerLog(): string {
  const lines: string[] = [];
  const t0 = Date.UTC(2024, 2, 4, 6, 0, 0);
  const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 19);
  lines.push(...nanoTokenUpdate(nanoLib, stamp(t0 - 600_000), UDID_A));
  for (let i = 0; i < 400; i++) {
    const t = t0 + i * 7000;
    const udid = i % 2 ? UDID_A : UDID_B;
    lines.push(...nanoPush(nanoLib, stamp(t), udid));
    // Device B stops answering half way through.
    if (udid === UDID_A || i < 200) lines.push(...nanoIdle(nanoLib, stamp(t + 1000), udid));
    if (i % 5 === 0)
      lines.push(
        nanoLib(stamp(t + 1000), `level=info service=nanomdm status=NotNow id=${udid} type=Device command_uuid=6a1b2c3d-4e5f-4a6b-8c7d-00000000000${i % 3}`),
      );
  }
  return file('busy-nanomdm.log', `${lines.join('\n')}\n`);
}

/** A device log in which apsd and mdmd repeat themselves: received pushes, wrong-magic rejections, a network drop. */
function chattyDeviceLog(): string {
  const lines: [string, string, string][] = [];
  for (let i = 0; i < 300; i++) {
    const t = new Date(Date.UTC(2024, 2, 4, 6, 0, 0) + i * 4000).toISOString().replace('T', ' ').replace('Z', '000+0000');
    lines.push([t, 'apsd', `Received message for enabled topic '${TOPIC}' onInterface: NonCellular with payload '{}' with priority 10`]);
    if (i % 3 === 0) lines.push([t, 'mdmd', REJECTED]);
    if (i === 250) lines.push([t, 'apsd', 'Disconnecting in response to connection failure']);
  }
  return file('apsd-mdmd.log', logShow(lines));
}

/** The same HTTP 500 logged for Exchange and then for the listener: a rule asks about the listener's alone. */
const secureMailFiveHundreds: Fact[] = ['ews', 'listener', 'ews'].map((target, i) => ({
  name: 'securemail.log.http_500',
  value: true,
  at: `2024-03-04T06:0${i}:00.000Z`,
  source: { kind: 'file', input: 'SecureMail.log', line: 10 + i },
  attrs: { target },
}));

function conditions(rules: RuleSet): [string, Condition][] {
  const out: [string, Condition][] = [];
  for (const r of rules.rules) out.push([r.id, r.when]);
  for (const a of rules.advisories) out.push([a.id, a.when]);
  for (const q of rules.questions) if (q.askWhen) out.push([q.id, q.askWhen]);
  const e = rules.escalation;
  if (e) {
    for (const [d, c] of Object.entries(e.failedPush)) if (c) out.push([`escalation.failed_push.${d}`, c]);
    for (const item of e.checklist) {
      out.push([item.id, item.when]);
      item.todo.forEach((t, i) => t.when && out.push([`${item.id}.todo.${i}`, t.when]));
    }
  }
  return out;
}

const verdict = (t: Trace) => ({ result: t.result, missing: t.missing ?? [] });

describe('folded facts give the same verdicts as every observation', () => {
  const rules = shipped();
  const params = deriveParams(rules);
  const conds = conditions(rules);

  it('on every input the tests read, and on busy logs', async () => {
    const inputs = [
      ...filesUnder(FIXTURES),
      busyServerLog(),
      chattyDeviceLog(),
      sysdiagnose({ taken: '2024.03.04_07-00-00+0000', magic: MAGIC, lastPollingSuccess: '2024-03-04T06:30:00Z' }),
    ];
    let foldedSomewhere = 0;
    // Each input alone, and the busy ones together (pushes in one log, contacts in another).
    const cases: (string[] | Fact[])[] = [...inputs.map((p) => [p]), inputs.slice(-3), secureMailFiveHundreds];
    for (const c of cases) {
      const paths = c.filter((x): x is string => typeof x === 'string');
      const read: Fact[] = c.filter((x): x is Fact => typeof x !== 'string');
      for (const p of paths) for (const f of (await readPath(p, { limits: DEFAULT_LIMITS })).facts) read.push(f);
      const observed = deriveFacts(expandFacts(read), params);
      const kept = foldFacts(observed);
      if (kept.length < observed.length) foldedSomewhere++;
      const every = indexFacts(observed);
      const folded = indexFacts(kept);
      for (const [id, cond] of conds)
        expect(verdict(evaluate(cond, folded)), `${id} on ${paths.join(' + ') || 'Secure Mail log lines'}`).toEqual(verdict(evaluate(cond, every)));
    }
    // The corpus must exercise folding for the comparison to mean anything.
    expect(foldedSomewhere).toBeGreaterThan(10);
  }, 60_000);
});
