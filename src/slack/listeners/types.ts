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
  client_msg_id?: string;
  files?: SlackFile[];
}

/** Text without the bot's own @-mention. */
export function stripMention(text: string | undefined, botUserId: string | undefined): string {
  return (text ?? '').replace(botUserId ? new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g') : /$^/, '').trim();
}

export function mentions(text: string | undefined, botUserId: string | undefined): boolean {
  return !!botUserId && (text ?? '').includes(`<@${botUserId}`);
}
