import type { App } from '@slack/bolt';
import type { SlackDeps } from '../context.js';
import type { SlackFile } from '../download.js';

/** What a listener file registers, so the manifest test can compare. */
export interface Registration {
  events?: string[];
  commands?: string[];
  shortcuts?: string[];
  actions?: (string | RegExp)[];
  views?: string[];
}

export interface Listener {
  registers: Registration;
  register(app: App, deps: SlackDeps): void;
}

/** The fields of a message event pushcheck reads (Slack's types are a wide union). */
export interface MessageLike {
  type: string;
  subtype?: string;
  channel: string;
  channel_type?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  files?: SlackFile[];
}

/**
 * The claim a message's first handler takes: message and app_mention events
 * for one message carry the same channel and ts (client_msg_id is missing on
 * messages posted through the API or by workflows).
 */
export function messageClaim(m: Pick<MessageLike, 'channel' | 'ts'>): string {
  return `msg:${m.channel}:${m.ts}`;
}

/** Text without the bot's own @-mention. */
export function stripMention(text: string | undefined, botUserId: string | undefined): string {
  return (text ?? '').replace(botUserId ? new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g') : /$^/, '').trim();
}

export function mentions(text: string | undefined, botUserId: string | undefined): boolean {
  return !!botUserId && (text ?? '').includes(`<@${botUserId}`);
}
