import type { App, webApi } from '@slack/bolt';
import { esc } from './blocks/report.js';
import { splitKey, type SlackDeps } from './context.js';
import type { SlackFile } from './download.js';
import { contribute } from './ingest.js';
import { keepScans, type ScanKeeper } from './scanKeeper.js';
import { Thread } from './thread.js';
import type { FileScan } from './threads.js';

/** A file that stopped its reader this often is not read again: it may be what stops it. */
const MAX_SCAN_ATTEMPTS = 3;

/**
 * Files another process was reading when it stopped (killed, out of
 * memory, restarted): the thread is told which file was interrupted, and
 * the file is read again from Slack under the same record, or the thread is
 * told why it will not be.
 */
async function resumeScans(deps: SlackDeps, client: webApi.WebClient, scans: FileScan[]): Promise<void> {
  for (const scan of scans) {
    const { channel, threadTs } = splitKey(scan.key);
    const thread = new Thread(deps, client, scan.key, channel, threadTs);
    const name = `*${esc(scan.input)}*`;
    deps.logger.warn({ thread: scan.key, input: scan.input, attempts: scan.attempts }, 'taking over an interrupted scan');
    try {
      if (scan.attempts > MAX_SCAN_ATTEMPTS) {
        await thread.reply(
          `:x: ${name} was interrupted ${scan.attempts - 1} times (the pushcheck process reading it stopped each time), so it will not be read again. To read it, run \`pushcheck diagnose\` on the file locally.`,
        );
        await deps.threads.endScan(scan.id);
        continue;
      }
      await thread.reply(
        `:warning: ${name} was interrupted: the pushcheck process reading it stopped before it finished (a restart or a crash). Reading it again.`,
      );
    } catch (e) {
      deps.logger.error({ err: e, thread: scan.key }, 'could not tell the thread about an interrupted scan');
    }
    // Not awaited: the keeper's beats must go on while the file is read.
    void contribute(deps, client, {
      channel,
      threadTs,
      who: { ...(scan.addedBy ? { by: scan.addedBy } : {}), at: scan.addedAt },
      files: [scan.source as unknown as SlackFile],
      resumes: scan,
      alwaysShow: true,
    });
  }
}

/** Beats for this process's scans and takes over those of processes that stopped (see scanKeeper.ts). */
export function startScanRecovery(app: App, deps: SlackDeps, staleMs: number): ScanKeeper {
  return keepScans({
    store: deps.threads,
    owner: deps.replica,
    staleMs,
    onTaken: (scans) => resumeScans(deps, app.client, scans),
    onError: (e) => deps.logger.warn({ err: e }, 'scan heartbeat failed'),
  });
}
