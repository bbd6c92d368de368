/** Slack's error code for a failed Web API call ("not_in_channel"), or the error's message. */
function slackReason(error: unknown): string {
  const code = (error as { data?: { error?: unknown } } | undefined)?.data?.error;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}

/** Codes that mean the bot cannot post in the channel until someone invites it. */
const NOT_A_MEMBER = new Set(['not_in_channel', 'channel_not_found']);

/**
 * What to tell the person when /pushcheck (command or form) could not post
 * the thread's root message: what failed, and what to do about it.
 */
export function rootFailureText(channel: string, error: unknown): string {
  const reason = slackReason(error);
  const advice = NOT_A_MEMBER.has(reason)
    ? 'invite @pushcheck to this channel with /invite @pushcheck, then run /pushcheck again.'
    : 'try /pushcheck again in a minute; if it keeps failing, tell whoever runs pushcheck.';
  return `:x: pushcheck could not post in <#${channel}> (Slack said: ${reason}), so no diagnosis was started. To fix it, ${advice}`;
}
