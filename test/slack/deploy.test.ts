import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

// No container engine runs here, so the compose file is checked for what it promises: two bots in HTTP
// mode on one Postgres behind a balancer that knows both.
const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

describe('deploy/compose.yml', () => {
  const compose = parse(read('deploy/compose.yml')) as {
    services: Record<string, { environment?: Record<string, string>; depends_on?: unknown; build?: string }>;
  };
  const bots = Object.entries(compose.services).filter(([, s]) => s.build);

  it('runs two replicas in HTTP mode on the same Postgres, started once the database is healthy', () => {
    expect(bots.map(([n]) => n)).toEqual(['bot1', 'bot2']);
    for (const [, s] of bots) {
      expect(s.environment).toMatchObject({
        SLACK_SIGNING_SECRET: expect.any(String),
        PORT: '3000',
        PUSHCHECK_DATABASE_URL: expect.stringMatching(/^postgres:\/\/pushcheck:.*@db:5432\/pushcheck$/),
      });
      expect(s.environment).not.toHaveProperty('SLACK_APP_TOKEN'); // Socket Mode would split events, not balance them
      expect(s.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    }
  });

  it('balances over exactly those replicas', () => {
    const upstream = [...read('deploy/nginx.conf').matchAll(/^\s*server\s+(\w+):3000\b/gm)].map((m) => m[1]);
    expect(upstream).toEqual(bots.map(([n]) => n));
  });

  it('builds an image that starts the bot the package builds', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(read('Dockerfile')).toMatch(/CMD \["node", "dist\/main\.js"\]/);
    expect(pkg.scripts.start).toBe('node dist/main.js');
  });
});
