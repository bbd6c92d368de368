import type { webApi } from '@slack/bolt';
import { describeChanges, TIMELINE_FILE_NAME, type Answer, type Outcome, type ServerValues, type Who } from '../case/index.js';
import type { Report } from '../report/types.js';
import { renderTimelinePng } from '../timeline/index.js';
import { esc } from './blocks/report.js';
import { sessionKey, type SlackDeps } from './context.js';
import { cutAtCapMessage, DownloadError, openSlackFile, slackTokenHosts, type SlackFile } from './download.js';
import { focusQuestions } from '../report/render/index.js';
import { Thread } from './thread.js';
import { answerError, inputWords } from './words.js';

type WebClient = webApi.WebClient;

/** Everything one Slack interaction contributes to a thread's diagnosis. */
export interface Contribution {
  channel: string;
  threadTs: string;
  who: Who;
  files?: SlackFile[];
  pastes?: { text: string; label: string }[];
  serverValues?: { values: ServerValues; label: string };
  answers?: Answer[];
  /** Say so when a paste held nothing recognisable (the person addressed the bot). */
  reportNothing?: boolean;
  /** Show the report even if nothing changed (a new session). */
  alwaysShow?: boolean;
  meta?: Record<string, string>;
}

/** Resolves file stubs (file_access: check_file_info) through files.info. */
async function resolveFile(client: WebClient, f: SlackFile): Promise<SlackFile> {
  if (f.file_access !== 'check_file_info' && (f.url_private_download || f.url_private)) return f;
  const info = await client.files.info({ file: f.id });
  return { ...f, ...(info.file as SlackFile) };
}

function described(o: Outcome, label: string): string {
  const input = esc(inputWords(label));
  if (o.newFacts === 0 && o.newProblems.length === 0) return `*${input}*: nothing pushcheck recognises.`;
  // A paste with nothing in it: the words the CLI prints for it, saying what to paste instead.
  const unrecognised = o.newProblems.find((p) => p.code === 'paste.unrecognised');
  if (o.newFacts === 0 && unrecognised && o.newProblems.length === 1) return `*${input}*: ${esc(unrecognised.message)}.`;
  const parts = [`*${input}*: ${o.newFacts} observation${o.newFacts === 1 ? '' : 's'} read`];
  if (o.newProblems.length) parts.push(`${o.newProblems.length} problem${o.newProblems.length === 1 ? '' : 's'} (listed in the summary)`);
  return `${parts.join(', ')}.`;
}

/** A new picture only when the timed events differ from what the thread last saw. */
function timelineChanged(before: Report | undefined, after: Report): boolean {
  return JSON.stringify(before?.timeline ?? []) !== JSON.stringify(after.timeline);
}

/** The push timeline as a PNG in the thread, when the evidence has two or more timed events. */
export async function postTimeline(client: WebClient, channel: string, threadTs: string, report: Report): Promise<boolean> {
  const png = renderTimelinePng(report);
  if (!png) return false;
  await client.files.uploadV2({
    channel_id: channel,
    thread_ts: threadTs,
    filename: TIMELINE_FILE_NAME,
    title: 'Push timeline (UTC)',
    file: png,
    initial_comment: 'Timeline of the pushes, check-ins and device events in the evidence (times in UTC).',
  });
  return true;
}

/**
 * Adds the contribution to the thread's session under the thread's queue,
 * keeping the summary current and posting one short reply with what
 * changed. Failures become a plain message in the thread.
 */
export function contribute(deps: SlackDeps, client: WebClient, c: Contribution): Promise<void> {
  const key = sessionKey(c.channel, c.threadTs);
  return deps.queue.run(key, async () => {
    const thread = new Thread(deps, client, key, c.channel, c.threadTs);
    try {
      const existed = await deps.cases.has(key);
      await deps.cases.open(key, { channel: c.channel, threadTs: c.threadTs, ...(c.meta ? { meta: c.meta } : {}) });
      await thread.ensureSummary();
      const before: Report | undefined = existed ? (await deps.cases.current(key)).report : undefined;
      const lines: string[] = [];
      let recognised = 0;
      let headline = before?.headline;
      let latest: Report | undefined;

      const files = c.files ?? [];
      for (const [i, stub] of files.entries()) {
        let name = stub.name ?? stub.title ?? stub.id;
        try {
          const file = await resolveFile(client, stub);
          name = file.name ?? file.title ?? name;
          const progress = (bytesRead: number, totalBytes?: number, stage: 'downloading' | 'reading' | 'scanning' = 'downloading', member?: string) =>
            thread.progress({ file: name, index: i + 1, count: files.length, stage, bytesRead, ...(totalBytes ? { totalBytes } : {}), ...(member ? { member } : {}) }, headline);
          progress(0, file.size);
          let downloadError: unknown;
          const { stream, size, cut } = await openSlackFile(file, {
            botToken: deps.config.botToken,
            tokenHosts: slackTokenHosts(deps.config.apiUrl),
            maxBytes: deps.config.maxFileBytes,
            attempts: deps.downloadAttempts,
            onBytes: (read, total) => progress(read, total),
            ...(deps.fetchImpl ? { fetchImpl: deps.fetchImpl } : {}),
          });
          stream.on('error', (e) => (downloadError = e));
          const o = await deps.cases.addFile(
            key,
            {
              name,
              stream,
              ...(size !== undefined ? { size } : {}),
              onProgress: (p) => progress(p.bytesRead, p.totalBytes, p.stage === 'done' ? 'reading' : p.stage, p.member),
              // A file cut at the cap keeps what its first MB held; the summary's problems say it was cut.
              problemsAfterRead: () => (cut() ? [{ input: name, code: 'download.cut_at_size_cap', message: `${cutAtCapMessage(deps.config.maxFileBytes)}; what they held is used` }] : []),
            },
            c.who,
          );
          if (downloadError) throw downloadError;
          recognised += o.newFacts;
          latest = o.report;
          headline = o.report.headline;
          lines.push(described(o, name));
          if (cut()) lines.push(`:warning: ${esc(cut()!.message)}; what they held is used. To read all of it, raise PUSHCHECK_MAX_FILE_MB or run \`pushcheck diagnose\` on the file locally.`);
        } catch (e) {
          const err = (e as { cause?: unknown }).cause instanceof DownloadError ? (e as { cause: DownloadError }).cause : e;
          if (err instanceof DownloadError) lines.push(`:x: ${esc(err.message)}`);
          else await thread.fail(`read ${name}`, err);
        }
      }
      for (const p of c.pastes ?? []) {
        const o = await deps.cases.addPaste(key, p.text, p.label, c.who, { onPurpose: !!c.reportNothing });
        latest = o.report;
        recognised += o.newFacts;
        if (o.newFacts || o.newProblems.length || c.reportNothing) lines.push(described(o, p.label));
      }
      if (c.serverValues) {
        const o = await deps.cases.addServerValues(key, c.serverValues.values, c.serverValues.label, c.who);
        latest = o.report;
        recognised += o.newFacts;
        lines.push(described(o, c.serverValues.label));
      }
      for (const a of c.answers ?? []) {
        const o = await deps.cases.answer(key, a);
        if (!o.ok) lines.push(`:warning: ${esc(answerError(o.message, a.question))}`);
        else {
          latest = o.report;
          recognised++;
        }
      }

      // Each addition already re-ran the diagnosis; only re-read the session when nothing was added.
      const report = latest ?? (await deps.cases.current(key)).report;
      const nothingNew = recognised === 0 && lines.length === 0;
      if (nothingNew && existed && !c.alwaysShow) return; // chatter in the thread: stay quiet
      await thread.showReport(report);
      if (files.length && timelineChanged(before, report)) await postTimeline(client, c.channel, c.threadTs, report);
      const changes = describeChanges(before, report);
      const reply = [...lines, ...changes.map((l) => `• ${esc(l)}`)];
      const next = focusQuestions(report)[0];
      if (next && (recognised > 0 || !existed)) reply.push(`Next question (buttons in the summary above): ${esc(next.text)}`);
      if (reply.length) await thread.reply(reply.join('\n'));
    } catch (e) {
      await thread.fail('update the diagnosis', e);
    }
  });
}
