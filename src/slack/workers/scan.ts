import { readStream } from '../../case/stream.js';
import { cutAtCapMessage, DownloadError, openSlackFile, slackTokenHosts } from '../download.js';
import type { JobContext, ScanInput, ScanNote, ScanOutput } from './jobs.js';

/** Downloads and reads one Slack file into facts, handed back as JSON text for the store. */
export async function scan(input: ScanInput, ctx: JobContext): Promise<ScanOutput> {
  const note = throttledNotes(ctx);
  note({ stage: 'downloading', bytesRead: 0, ...(input.file.size ? { totalBytes: input.file.size } : {}) }, true);
  const opened = await download(input, note);
  return 'stream' in opened ? readDownload(input, opened, note) : opened;
}

type Note = (n: ScanNote, force?: boolean) => void;
type Opened = Awaited<ReturnType<typeof openSlackFile>>;

/** Progress for the thread, cheap for it: at most a few notes a second cross back (a forced one always does). */
function throttledNotes(ctx: JobContext): Note {
  let last = 0;
  return (n, force = false) => {
    const now = Date.now();
    if (!force && now - last < 250) return;
    last = now;
    ctx.note(n);
  };
}

/** Asks Slack for the file; a refusal (too large, no scope, no answer…) is the job's answer. */
async function download(input: ScanInput, note: Note): Promise<Opened | ScanOutput> {
  const { file, download: d } = input;
  try {
    return await openSlackFile(file, {
      botToken: d.botToken,
      tokenHosts: slackTokenHosts(d.apiUrl),
      maxBytes: d.maxBytes,
      attempts: d.attempts,
      idleTimeoutMs: d.idleTimeoutMs,
      totalTimeoutMs: d.totalTimeoutMs,
      onBytes: (read, total) => note({ stage: 'downloading', bytesRead: read, ...(total ? { totalBytes: total } : {}) }),
    });
  } catch (e) {
    if (e instanceof DownloadError) return { ok: false, download: { code: e.code, message: e.message } };
    throw e;
  }
}

/** Reads the file as it arrives; a download that fails midway is the answer instead of what was read. */
async function readDownload(input: ScanInput, opened: Opened, note: Note): Promise<ScanOutput> {
  const { name, download: d } = input;
  const { stream, size, cut } = opened;
  let downloadError: unknown;
  stream.on('error', (e) => (downloadError = e));
  const r = await readStream(
    name,
    stream,
    {
      limits: input.limits,
      onProgress: (p) =>
        note({
          stage: p.stage === 'done' ? 'reading' : p.stage,
          bytesRead: p.bytesRead,
          ...(p.totalBytes ? { totalBytes: p.totalBytes } : {}),
          ...(p.member ? { member: p.member } : {}),
        }),
    },
    size,
  );
  const err = downloadError ?? undefined;
  const cause = (err as { cause?: unknown } | undefined)?.cause;
  const failed = err instanceof DownloadError ? err : cause instanceof DownloadError ? cause : undefined;
  if (failed) return { ok: false, download: { code: failed.code, message: failed.message } };
  if (err) throw err;
  const cutBy = cut();
  // A file cut at the cap keeps what its first MB held; the summary's problems say it was cut.
  const problems = cutBy
    ? [...r.problems, { input: name, code: 'download.cut_at_size_cap', message: `${cutAtCapMessage(d.maxBytes)}; what they held is used` }]
    : r.problems;
  return {
    ok: true,
    facts: JSON.stringify(r.facts),
    problems: JSON.stringify(problems),
    newFacts: r.facts.length,
    newProblems: problems,
    ...(cutBy ? { cut: cutBy.message } : {}),
  };
}
