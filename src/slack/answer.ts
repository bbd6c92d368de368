import type { webApi } from '@slack/bolt';
import { describeChanges, type Answer, type AnswerRecord } from '../case/index.js';
import { esc } from './blocks/report.js';
import { splitKey, type SlackDeps } from './context.js';
import { Thread } from './thread.js';
import { answerError } from './words.js';

function shown(deps: SlackDeps, questionId: string, value: string): string {
  if (value === 'unknown') return "don't know";
  // Yes / No and the choices' labels, as the buttons showed them.
  return deps.cases.question(questionId)?.answers.find((a) => a.value === value)?.label ?? value;
}

/** What the thread says about one recorded answer: who answered what, and which answer stands. */
function answeredLines(deps: SlackDeps, answer: Answer, o: Extract<AnswerRecord, { ok: true }>): string[] {
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
  return lines;
}

/**
 * Records an answer from a button or the answer modal: re-evaluates (in a
 * worker, against the case's kept evidence), updates the summary and says
 * in the thread who answered what, what changed, and the next question. Of
 * two answers to the same question the later one stands, and the thread
 * says which one it replaced (or, when the later one was recorded first,
 * that it stands).
 *
 * Answers to a thread that arrive while it is busy wait together: when the
 * thread is free they are recorded in the order they came, the case is
 * evaluated once for all of them, and one reply names each. However fast
 * people click, a thread's queue holds at most one evaluation.
 */
export function recordAnswer(deps: SlackDeps, client: webApi.WebClient, key: string, answer: Answer): Promise<void> {
  const waiting = deps.answersWaiting.get(key);
  if (waiting) {
    waiting.answers.push(answer);
    return waiting.done;
  }
  const batch: { answers: Answer[]; done: Promise<void> } = { answers: [answer], done: Promise.resolve() };
  deps.answersWaiting.set(key, batch);
  const { channel, threadTs } = splitKey(key);
  const thread = new Thread(deps, client, key, channel, threadTs);
  // The whole step under the thread's lock, so the summary and the reply follow the order answers were recorded in.
  batch.done = deps.work.track(() =>
    deps.threads
      .withThreadLock(key, async () => {
        // From here on, new answers wait for the next turn.
        deps.answersWaiting.delete(key);
        // What the thread showed before (kept: no diagnosis unless the case changed meanwhile).
        const before = await deps.views.current(key);
        const lines: string[] = [];
        for (const a of batch.answers) {
          const o = await deps.cases.recordAnswer(key, a);
          lines.push(...(o.ok ? answeredLines(deps, a, o) : [`:warning: ${esc(answerError(o.message, a.question))}`]));
        }
        const recorded = lines.some((l) => !l.startsWith(':warning:'));
        if (!recorded) {
          await thread.reply(lines.join('\n'));
          return;
        }
        const after = (await deps.views.current(key))!;
        await thread.showView(after);
        lines.push(...describeChanges(before?.gist, after.gist).map((l) => `• ${esc(l)}`));
        lines.push(after.next ? `Next question: ${esc(after.next.text)}` : 'No more questions: the summary above has the diagnosis.');
        await thread.reply(lines.join('\n'));
      })
      .catch((e: unknown) => {
        if (deps.answersWaiting.get(key) === batch) deps.answersWaiting.delete(key);
        return thread.fail('record the answer', e);
      }),
  );
  return batch.done;
}
