import type { webApi } from '@slack/bolt';
import { describeChanges, TIMELINE_FILE_NAME, type Answer, type ReadJson, type Recorded, type ServerValues, type Who } from '../case/index.js';
import { esc } from './blocks/report.js';
import { threadKey, type SlackDeps } from './context.js';
import type { SlackFile } from './download.js';
import { Thread } from './thread.js';
import type { FileScan } from './threads.js';
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
  /** Show the report even if nothing changed (a new case). */
  alwaysShow?: boolean;
  meta?: Record<string, string>;
  /** A file another process was reading when it stopped: read it again under the same record. */
  resumes?: FileScan;
}

/** Resolves file stubs (file_access: check_file_info) through files.info. */
async function resolveFile(client: WebClient, f: SlackFile): Promise<SlackFile> {
  if (f.file_access !== 'check_file_info' && (f.url_private_download || f.url_private)) return f;
  const info = await client.files.info({ file: f.id });
  return { ...f, ...(info.file as SlackFile) };
}

function described(o: Recorded, label: string): string {
  const input = esc(inputWords(label));
  if (o.newFacts === 0 && o.newProblems.length === 0) return `*${input}*: nothing pushcheck recognises.`;
  // A paste with nothing in it: the words the CLI prints for it, saying what to paste instead.
  const unrecognised = o.newProblems.find((p) => p.code === 'paste.unrecognised');
  if (o.newFacts === 0 && unrecognised && o.newProblems.length === 1) return `*${input}*: ${esc(unrecognised.message)}.`;
  const parts = [`*${input}*: ${o.newFacts} observation${o.newFacts === 1 ? '' : 's'} read`];
  if (o.newProblems.length) parts.push(`${o.newProblems.length} problem${o.newProblems.length === 1 ? '' : 's'} (listed in the summary)`);
  return `${parts.join(', ')}.`;
}

/** The push timeline as a PNG in the thread, when the evidence has two or more timed events. */
async function postTimeline(deps: SlackDeps, client: WebClient, channel: string, threadTs: string): Promise<boolean> {
  const png = await deps.views.timeline(threadKey(channel, threadTs));
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

/** A file as the thread knows it: its name, or its title, or its id. */
function fileName(f: SlackFile): string {
  return f.name ?? f.title ?? f.id;
}

/** What reading one file gave: evidence to add, or a line saying why there is none. */
type FileRead = { name: string; scanId: string; result?: ReadJson; cut?: string; line?: string };

/**
 * Downloads and reads one file into facts, without touching the case:
 * the slow part, done where files are read (a worker thread) and outside
 * the thread's lock, so that a second file or an answer in the same thread
 * is not held up behind it.
 */
async function readFile(
  deps: SlackDeps,
  client: WebClient,
  thread: Thread,
  stub: SlackFile,
  at: { index: number; count: number },
  headline: () => string | undefined,
): Promise<Omit<FileRead, 'scanId'>> {
  let name = fileName(stub);
  try {
    const file = await resolveFile(client, stub);
    name = fileName({ ...file, name: file.name ?? stub.name });
    thread.progress(
      { file: name, index: at.index, count: at.count, stage: 'downloading', bytesRead: 0, ...(file.size ? { totalBytes: file.size } : {}) },
      headline(),
    );
    const c = deps.config;
    const read = await deps.views.scan(
      {
        name,
        file,
        download: {
          botToken: c.botToken,
          ...(c.apiUrl ? { apiUrl: c.apiUrl } : {}),
          maxBytes: c.maxFileBytes,
          attempts: deps.downloadAttempts,
          idleTimeoutMs: c.downloadIdleMs,
          totalTimeoutMs: c.downloadTimeoutMs,
        },
        limits: deps.cases.limits,
      },
      (n) => thread.progress({ file: name, index: at.index, count: at.count, ...n }, headline()),
    );
    if (!read.ok) return { name, line: `:x: ${esc(read.download.message)}` };
    const { ok: _, cut, ...result } = read;
    return { name, result, ...(cut ? { cut } : {}) };
  } catch (e) {
    await thread.fail(`read ${name}`, e);
    return { name };
  }
}

/**
 * Adds the contribution to the thread's case, keeping the summary
 * current and posting one short reply with what changed. Across processes:
 * the case, its one summary and a record of each file to read are made
 * under the thread's lock; the files are read outside it; what they gave is
 * added, shown and replied to under the lock again, so contributions to one
 * thread never interleave their replies, whichever replica took them. A
 * file whose reader dies stays recorded, and another process reads it
 * again (see recovery.ts). Failures become a plain message in the thread.
 */
export function contribute(deps: SlackDeps, client: WebClient, c: Contribution): Promise<void> {
  const key = threadKey(c.channel, c.threadTs);
  const store = deps.threads;
  const files = c.files ?? [];
  return deps.work.track(async () => {
    const thread = new Thread(deps, client, key, c.channel, c.threadTs);
    try {
      const { existed, scanIds, headline } = await store.withThreadLock(key, async () => {
        const existed = await deps.cases.has(key);
        await deps.cases.open(key, { channel: c.channel, threadTs: c.threadTs, ...(c.meta ? { meta: c.meta } : {}) });
        await thread.ensureSummary();
        const scanIds: string[] = [];
        for (const f of files)
          scanIds.push(
            c.resumes?.id ??
              (
                await store.beginScan(key, {
                  input: fileName(f),
                  source: { ...f },
                  owner: deps.replica,
                  ...(c.who.by ? { addedBy: c.who.by } : {}),
                  addedAt: c.who.at,
                })
              ).id,
          );
        // The headline the thread last showed, under the progress line (never a diagnosis just for it).
        return { existed, scanIds, headline: existed && files.length ? deps.views.peek(key)?.headline : undefined };
      });

      const reads: FileRead[] = [];
      for (const [i, stub] of files.entries())
        reads.push({ ...(await readFile(deps, client, thread, stub, { index: i + 1, count: files.length }, () => headline)), scanId: scanIds[i]! });

      try {
        await store.withThreadLock(key, () => applyAndReply(deps, client, thread, key, c, existed, reads));
      } finally {
        // Read and reported (or the thread told why not): nothing left for another replica to take over.
        for (const r of reads) await store.endScan(r.scanId).catch((e: unknown) => deps.logger.warn({ err: e }, 'could not end a scan record'));
      }
    } catch (e) {
      await thread.fail('update the diagnosis', e);
    } finally {
      // Reported or failed: the summary no longer says a file of this contribution is being read.
      await thread.endProgress();
    }
  });
}

/** Under the thread's lock: what was read, pasted and answered goes in; the case is evaluated once; the summary and one reply go out. */
async function applyAndReply(
  deps: SlackDeps,
  client: WebClient,
  thread: Thread,
  key: string,
  c: Contribution,
  existed: boolean,
  reads: FileRead[],
): Promise<void> {
  // What the thread showed before this contribution: files added meanwhile by other work count as before.
  // A new case showed nothing yet: no diagnosis of it empty.
  const shown = existed ? await deps.views.current(key) : undefined;
  const before = shown && !shown.empty ? shown : undefined;
  const lines: string[] = [];
  let recognised = 0;

  for (const r of reads) {
    if (r.line) lines.push(r.line);
    if (!r.result) continue;
    const o = await deps.cases.recordJson(key, r.name, c.who, r.result);
    recognised += o.newFacts;
    lines.push(described(o, r.name));
    if (r.cut)
      lines.push(
        `:warning: ${esc(r.cut)}; what they held is used. To read all of it, raise PUSHCHECK_MAX_FILE_MB or run \`pushcheck diagnose\` on the file locally.`,
      );
  }
  for (const p of c.pastes ?? []) {
    const o = await deps.cases.recordPaste(key, p.text, p.label, c.who, { onPurpose: !!c.reportNothing });
    recognised += o.newFacts;
    if (o.newFacts || o.newProblems.length || c.reportNothing) lines.push(described(o, p.label));
  }
  if (c.serverValues) {
    const o = await deps.cases.recordServerValues(key, c.serverValues.values, c.serverValues.label, c.who);
    recognised += o.newFacts;
    lines.push(described(o, c.serverValues.label));
  }
  for (const a of c.answers ?? []) {
    const o = await deps.cases.recordAnswer(key, a);
    if (!o.ok) lines.push(`:warning: ${esc(answerError(o.message, a.question))}`);
    else recognised++;
  }

  const nothingNew = recognised === 0 && lines.length === 0;
  if (nothingNew && existed && !c.alwaysShow && !reads.length) return; // chatter in the thread: stay quiet
  // Everything this contribution added, diagnosed once (in a worker: see views.ts).
  const view = (await deps.views.current(key))!;
  await thread.showView(view);
  if (reads.length && view.timeline !== (before?.timeline ?? ''))
    await postTimeline(deps, client, c.channel, c.threadTs).catch((e: unknown) =>
      thread.fail('upload the push timeline picture', e, 'The diagnosis above is complete without it: the picture only puts the same events in time order.'),
    );
  const changes = describeChanges(before?.gist, view.gist);
  const reply = [...lines, ...changes.map((l) => `• ${esc(l)}`)];
  if (view.next && (recognised > 0 || !existed)) reply.push(`Next question (buttons in the summary above): ${esc(view.next.text)}`);
  if (reply.length) await thread.reply(reply.join('\n'));
}
