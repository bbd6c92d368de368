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
 * changed, and the next question. A second answer to the same question
 * stands and the thread says whose answer it replaced.
 */
export function recordAnswer(deps: SlackDeps, client: webApi.WebClient, key: string, answer: Answer): Promise<void> {
  const { channel, threadTs } = splitKey(key);
  return deps.queue.run(key, async () => {
    const thread = new Thread(deps, client, key, channel, threadTs);
    try {
      const o = await deps.cases.answer(key, answer);
      if (!o.ok) {
        await thread.reply(`:warning: ${esc(answerError(o.message, answer.question))}`);
        return;
      }
      await thread.showReport(o.report);
      const q = deps.cases.question(answer.question);
      const lines = [`<@${answer.by}> answered “${esc(q?.text ?? answer.question)}”: *${esc(shown(deps, answer.question, answer.value))}*.`];
      if (o.superseded) {
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
    } catch (e) {
      await thread.fail('record the answer', e);
    }
  });
}
