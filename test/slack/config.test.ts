import { describe, expect, it } from 'vitest';
import { type ConfigError, parseConfig, triggerFor } from '../../src/slack/config.js';

const d = { dbPath: '/tmp/x.db' };
const error = (env: Record<string, string>) => {
  try {
    parseConfig(env, d);
  } catch (e) {
    return e as ConfigError;
  }
  throw new Error('no error');
};

describe('configuration from the environment', () => {
  it('without Slack credentials, runs in the terminal', () => {
    expect(parseConfig({}, d).mode).toBe('terminal');
  });

  it('Socket Mode when an app token is set; HTTP when only a signing secret is', () => {
    expect(parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_SIGNING_SECRET: 's' }, d).mode).toBe('socket');
    expect(parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PORT: '8080' }, d)).toMatchObject({ mode: 'http', port: 8080 });
  });

  it('a missing or malformed setting is one error naming the variable', () => {
    expect(error({ SLACK_BOT_TOKEN: 'xoxb-1' })).toMatchObject({ variable: 'SLACK_APP_TOKEN' });
    expect(error({ SLACK_APP_TOKEN: 'xapp-1' })).toMatchObject({ variable: 'SLACK_BOT_TOKEN' });
    expect(error({ SLACK_BOT_TOKEN: 'xoxp-user' }).message).toBe('SLACK_BOT_TOKEN: must be a bot token starting with xoxb-');
    expect(error({ PORT: 'eighty' }).message).toBe('PORT: must be a port number');
    expect(error({ PUSHCHECK_TRIGGER: 'always' })).toMatchObject({ variable: 'PUSHCHECK_TRIGGER' });
    expect(error({ SLACK_API_URL: 'localhost' })).toMatchObject({ variable: 'SLACK_API_URL' });
  });

  it('PUSHCHECK_DATABASE_URL chooses the shared Postgres store; anything but a postgres:// URL is refused by name', () => {
    expect(parseConfig({ PUSHCHECK_DATABASE_URL: 'postgres://bot:pw@db:5432/pushcheck' }, d)).toMatchObject({
      databaseUrl: 'postgres://bot:pw@db:5432/pushcheck',
      scanStaleMs: 30_000,
    });
    expect(parseConfig({}, d)).not.toHaveProperty('databaseUrl');
    expect(error({ PUSHCHECK_DATABASE_URL: 'db.internal:5432' }).message).toBe(
      'PUSHCHECK_DATABASE_URL: must be a URL such as postgres://user:password@host:5432/pushcheck',
    );
    expect(parseConfig({ PUSHCHECK_SCAN_STALE_SECONDS: '1.5' }, d).scanStaleMs).toBe(1500);
  });

  it('SLACK_API_URL gets a trailing slash; triggers can differ per channel', () => {
    const c = parseConfig(
      {
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_APP_TOKEN: 'xapp-1',
        SLACK_API_URL: 'http://127.0.0.1:9/api',
        PUSHCHECK_TRIGGER: 'mention',
        PUSHCHECK_CHANNEL_TRIGGERS: 'C1=member',
      },
      d,
    );
    if (c.mode === 'terminal') throw new Error('expected slack');
    expect(c.apiUrl).toBe('http://127.0.0.1:9/api/');
    expect(triggerFor(c, 'C1')).toBe('member');
    expect(triggerFor(c, 'C2')).toBe('mention');
  });
});
