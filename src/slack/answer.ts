import type { webApi } from '@slack/bolt';
import { describeChanges, type Answer } from '../case/index.js';
import { esc } from './blocks/report.js';
import { splitKey, type SlackDeps } from './context.js';
import { focusQuestions } from '../report/render/index.js';
import { Thread } from './thread.js';
import { answerError } from './words.js';

function shown(deps: SlackDeps, questionId: string, value: string): string {
  if (value === 'unknown') return "don't know";
  // Yes / No and the choices' labels, as the buttons showed them.
  return deps.cases.question(questionId)?.answers.find((a) => a.value === value)?.label ?? value;
}

/**
 * Records an answer from a button or the answer modal: re-evaluates,
 * updates the summary and says in the thread who answered what, what
 * changed, and the next question. Of two answers to the same question the
 * later one stands, and the thread says which one it replaced (or, when the
 * later one was recorded first, that it stands).
 */
export function recordAnswer(deps: SlackDeps, client: webApi.WebClient, key: string, answer: Answer): Promise<void> {
  const { channel, threadTs } = splitKey(key);
  const thread = new Thread(deps, client, key, channel, threadTs);
  // The whole step under the thread's lock, so the summary and the reply follow the order answers were recorded in.
  return deps.work.track(() =>
    deps.threads.withThreadLock(key, async () => {
      const o = await deps.cases.answer(key, answer);
      if (!o.ok) {
        await thread.reply(`:warning: ${esc(answerError(o.message, answer.question))}`);
        return;
      }
      await thread.showReport(o.report);
      const q = deps.cases.question(answer.question);
      const lines = [`<@${answer.by}> answered “${esc(q?.text ?? answer.question)}”: *${esc(shown(deps, answer.question, answer.value))}*.`];
      if (o.supersededBy) {
        // Two people answered at once and the other answer, given later, was recorded first.
        const l = o.supersededBy;
        lines.push(
          l.by && l.by !== answer.by
            ? `<@${l.by}>'s later answer (${esc(shown(deps, l.question, l.value))}) stands: it was given after this one.`
            : `A later answer (${esc(shown(deps, l.question, l.value))}) stands.`,
        );
      } else if (o.superseded) {
        const e = o.superseded;
        lines.push(
          e.by && e.by !== answer.by
            ? `This replaces <@${e.by}>'s earlier answer (${esc(shown(deps, e.question, e.value))}): the later answer stands.`
            : `This replaces the earlier answer (${esc(shown(deps, e.question, e.value))}).`,
        );
      }
      lines.push(...describeChanges(o.before, o.report).map((l) => `• ${esc(l)}`));
      const next = focusQuestions(o.report)[0];
      lines.push(next ? `Next question: ${esc(next.text)}` : 'No more questions: the summary above has the diagnosis.');
      await thread.reply(lines.join('\n'));
    }).catch((e: unknown) => thread.fail('record the answer', e)),
  );
}
