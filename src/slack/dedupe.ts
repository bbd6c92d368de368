import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { ThreadBook } from './threads.js';
import type { Logger } from 'pino';

/**
 * The delivery key of an incoming payload: Slack retries events (same
 * event_id; X-Slack-Retry-Num / retry_attempt) and people double-click
 * buttons (same message, action and action_ts).
 */
function deliveryKey(body: Record<string, unknown>): string | undefined {
  if (body.type === 'event_callback' && typeof body.event_id === 'string') return `event:${body.event_id}`;
  if (body.type === 'block_actions') {
    const container = body.container as { message_ts?: string; view_id?: string } | undefined;
    const action = (body.actions as { action_id?: string; action_ts?: string }[] | undefined)?.[0];
    if (action?.action_ts) return `action:${container?.message_ts ?? container?.view_id ?? ''}:${action.action_id}:${action.action_ts}`;
  }
  return undefined;
}

/**
 * Global middleware: the first delivery of a key goes through, repeats are
 * acknowledged and dropped. Claims live in the store under a unique key, so
 * a retry that reaches the app after a restart, or reaches another replica,
 * is still recognised.
 */
export function dedupeMiddleware(threads: Pick<ThreadBook, 'claim'>, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const key = deliveryKey(args.body as unknown as Record<string, unknown>);
    if (key && !(await threads.claim(key))) {
      logger.info({ key, retryNum: args.context.retryNum, retryReason: args.context.retryReason }, 'duplicate delivery dropped');
      const ack = (args as { ack?: () => Promise<void> }).ack;
      if (ack) await ack();
      return;
    }
    await args.next();
  };
}
