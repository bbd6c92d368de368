import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/engine/diagnose.js';
import { readPaste, readPath } from '../../src/evidence/read.js';
import { DEFAULT_LIMITS, type ReadResult } from '../../src/evidence/types.js';
import type { Answer } from '../../src/engine/answers.js';
import { fixture } from '../text/helpers.js';
import { shipped } from '../support/rules.js';

const ctx = { limits: DEFAULT_LIMITS };
const rules = shipped();
const SERVER_MAGIC = 'CEFDF0BD-E342-4A27-8742-E930EA116B0A';

async function diagnoseInputs(inputs: Promise<ReadResult>[], answers: Answer[] = []) {
  const read = await Promise.all(inputs);
  return diagnose({ facts: read.flatMap((r) => r.facts), problems: read.flatMap((r) => r.problems), answers }, rules);
}
const cause = (d: Awaited<ReturnType<typeof diagnoseInputs>>, id: string) => d.causes.find((c) => c.cause.id === id);

describe('pasted server magic + a device log: wrong PushMagic', () => {
  it("the rejection line in the device log confirms mdm.wrong_magic, and the pasted magic is kept as the server's", async () => {
    const d = await diagnoseInputs([
      readPaste(`server magic: ${SERVER_MAGIC}`, 'slack message', ctx),
      readPath(fixture('log_show_default_mdmd_redacted.log'), ctx),
    ]);
    const wrongMagic = cause(d, 'mdm.wrong_magic');
    expect(wrongMagic?.status).toBe('confirmed');
    expect(wrongMagic?.decided.map((r) => r.rule.id)).toContain('mdm.wrong_magic.log_rejection');
    expect(d.facts.find((f) => f.name === 'server.push_magic')).toMatchObject({
      value: SERVER_MAGIC,
      source: { kind: 'pasted', input: 'slack message', line: 1 },
    });
    // The same log shows apsd receiving pushes, so APNs is reachable; nothing shows the device reaching
    // the MDM server, the other half of the network cause, so that cause stays open rather than ruled out.
    expect(cause(d, 'mdm.network')?.status).toBe('open');
  });

  it("without the log the magic alone settles nothing: the cause stays open and the device's magic is asked for", async () => {
    const d = await diagnoseInputs([readPaste(`server magic: ${SERVER_MAGIC}`, 'slack message', ctx)]);
    expect(cause(d, 'mdm.wrong_magic')?.status).toBe('open');
    expect(d.questions.map((q) => q.question.id)).toContain('q.mdm.device_magic');
  });

  it("the device's own magic pasted from plutil, equal to the server's, with no rejection logged, rules it out", async () => {
    const paste = `server_magic=${SERVER_MAGIC}\n$ plutil -p logs/MCState/Shared/MDM.plist | grep PushMagic\n  "PushMagic" => "${SERVER_MAGIC}"`;
    const d = await diagnoseInputs([readPaste(paste, 'slack message', ctx)]);
    expect(cause(d, 'mdm.wrong_magic')?.status).toBe('ruled_out');
  });

  it('an unlabelled pasted magic makes the engine ask whose it is; answering "server" puts it on the server\'s side', async () => {
    const inputs = () => [readPaste(`magic=${SERVER_MAGIC}`, 'slack message', ctx), readPath(fixture('log_show_default_mdmd_redacted.log'), ctx)];
    const before = await diagnoseInputs(inputs());
    expect(before.questions[0]?.question.id).toBe('q.case.pasted_side');
    const after = await diagnoseInputs(inputs(), [{ question: 'q.case.pasted_side', value: 'server' }]);
    expect(after.facts.some((f) => f.name === 'server.push_magic' && f.value === SERVER_MAGIC)).toBe(true);
    expect(cause(after, 'mdm.wrong_magic')?.status).toBe('confirmed');
  });
});
