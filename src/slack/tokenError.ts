/**
 * Slack refused a token: no retry helps, so the bot stops with one line
 * naming the variable to fix (main.ts exits 2). Kept apart from startup.ts,
 * which loads the Slack client, so main.ts can recognise it without loading
 * Bolt for the terminal mode.
 */
export class TokenError extends Error {
  constructor(
    readonly variable: 'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN',
    readonly code: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'TokenError';
  }
}
