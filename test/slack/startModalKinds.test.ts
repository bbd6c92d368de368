import { describe, expect, it } from 'vitest';
import { CaseService } from '../../src/case/index.js';
import { problemKinds, startModal } from '../../src/slack/blocks/modals.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { shipped } from '../support/rules.js';

/** The kinds of push problem the /pushcheck form offers are the choices of q.case.domain in rules/. */
const options = (view: ReturnType<typeof startModal>) =>
  (view.blocks.find((b) => b.block_id === 'kind') as { element: { options: { value: string; text: { text: string } }[] } }).element.options.map((o) => [
    o.value,
    o.text.text,
  ]);

describe('the start form’s kinds of problem', () => {
  const rules = shipped();
  const store = () => new SqliteStore({ path: ':memory:', retentionMs: 86_400_000 });

  it('are the choices the shipped rules give q.case.domain, without "don\'t know"', () => {
    const kinds = problemKinds({ cases: new CaseService(store(), { rules }) });
    const domain = rules.questions.find((q) => q.id === 'q.case.domain')!;
    expect(kinds).toEqual(domain.options);
    expect(options(startModal('C1', kinds))).toEqual(domain.options!.map((o) => [o.value, o.label]));
  });

  it('follow rules/: a kind added to q.case.domain appears in the form with no code change', () => {
    const more = {
      ...rules,
      questions: rules.questions.map((q) =>
        q.id === 'q.case.domain' ? { ...q, options: [...q.options!, { value: 'voip', label: 'VoIP push (PushKit)' }] } : q,
      ),
    };
    expect(options(startModal('C1', problemKinds({ cases: new CaseService(store(), { rules: more }) }))).at(-1)).toEqual(['voip', 'VoIP push (PushKit)']);
  });
});
