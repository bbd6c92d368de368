import { readFileSync } from 'node:fs';
import { App } from '@slack/bolt';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LISTENERS } from '../../src/slack/listeners/index.js';
import { IDS } from '../../src/slack/blocks/ids.js';

// The manifest's shape and limits, after the field typings in @slack/web-api (types/request/manifest.ts).
const ManifestSchema = z
  .object({
    _metadata: z.object({ major_version: z.union([z.literal(1), z.literal(2)]) }).optional(),
    display_information: z.object({
      name: z.string().min(1).max(35),
      description: z.string().max(140).optional(),
      long_description: z.string().min(174).max(4000).optional(),
      background_color: z
        .string()
        .regex(/^#[0-9a-fA-F]{6}$/)
        .optional(),
    }),
    features: z.object({
      bot_user: z.object({
        display_name: z
          .string()
          .max(80)
          .regex(/^[a-z0-9._-]+$/),
        always_online: z.boolean().optional(),
      }),
      slash_commands: z
        .array(
          z
            .object({
              command: z.string().regex(/^\//).max(32),
              description: z.string().max(2000),
              usage_hint: z.string().max(1000).optional(),
              should_escape: z.boolean().optional(),
              url: z.string().url().optional(),
            })
            .strict(),
        )
        .max(50),
      shortcuts: z
        .array(
          z
            .object({ name: z.string().min(1), type: z.enum(['global', 'message']), callback_id: z.string().max(255), description: z.string().max(150) })
            .strict(),
        )
        .max(10),
      app_home: z
        .object({
          home_tab_enabled: z.boolean().optional(),
          messages_tab_enabled: z.boolean().optional(),
          messages_tab_read_only_enabled: z.boolean().optional(),
        })
        .strict()
        .optional(),
    }),
    oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()).max(255) }).strict() }),
    settings: z
      .object({
        event_subscriptions: z.object({ bot_events: z.array(z.string()).max(100), request_url: z.string().url().optional() }).strict(),
        interactivity: z.object({ is_enabled: z.boolean(), request_url: z.string().url().optional() }).strict(),
        org_deploy_enabled: z.boolean().optional(),
        socket_mode_enabled: z.boolean(),
        token_rotation_enabled: z.boolean().optional(),
      })
      .strict(),
  })
  .strict();

const manifest = ManifestSchema.parse(parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8')));

// What each bot event needs, so the scope list is exactly what the app uses.
const EVENT_SCOPES: Record<string, string> = {
  'message.channels': 'channels:history',
  'message.groups': 'groups:history',
  'message.im': 'im:history',
  app_mention: 'app_mentions:read',
};

/** Records what the real listeners register on a real App. */
function registered() {
  const app = new App({ token: 'xoxb-x', signingSecret: 's', botId: 'B', botUserId: 'U', logLevel: undefined });
  const seen = { events: [] as string[], commands: [] as string[], shortcuts: [] as string[], actions: [] as (string | RegExp)[], views: [] as string[] };
  const orig = {
    event: app.event.bind(app),
    command: app.command.bind(app),
    shortcut: app.shortcut.bind(app),
    action: app.action.bind(app),
    view: app.view.bind(app),
  };
  // Records each id, then registers it as Bolt would.
  const spy =
    <K extends keyof typeof orig>(kind: K, ids: (string | RegExp)[]) =>
    (id: string | RegExp, ...rest: unknown[]) => {
      ids.push(id);
      return (orig[kind] as (...a: unknown[]) => void)(id, ...rest);
    };
  Object.assign(app, {
    event: spy('event', seen.events),
    command: spy('command', seen.commands),
    shortcut: spy('shortcut', seen.shortcuts),
    action: spy('action', seen.actions),
    view: spy('view', seen.views),
  });
  for (const l of LISTENERS) l.register(app, {} as never);
  return seen;
}

describe('manifest.yml', () => {
  const seen = registered();

  it('is a valid app manifest with Socket Mode and interactivity on', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it('declares exactly the slash commands and shortcuts the app handles', () => {
    expect(manifest.features.slash_commands.map((c) => c.command).sort()).toEqual([...seen.commands].sort());
    expect(manifest.features.shortcuts.map((s) => s.callback_id).sort()).toEqual([...seen.shortcuts].sort());
    expect(manifest.features.shortcuts).toContainEqual(expect.objectContaining({ type: 'message', name: 'Diagnose push issue' }));
  });

  it('subscribes to the events the app listens to, and to no others', () => {
    const handled = new Set(manifest.settings.event_subscriptions.bot_events.map((e) => e.split('.')[0]));
    expect([...handled].sort()).toEqual([...new Set(seen.events)].sort());
  });

  it('lets people write to the bot directly when it listens to direct messages (the Messages tab is off unless the manifest turns it on)', () => {
    expect(manifest.settings.event_subscriptions.bot_events).toContain('message.im');
    expect(manifest.features.app_home?.messages_tab_enabled).toBe(true);
    expect(manifest.features.app_home?.messages_tab_read_only_enabled).toBe(false);
  });

  it('asks for the scopes its events and calls need, and no more', () => {
    const needed = new Set([
      ...manifest.settings.event_subscriptions.bot_events.map((e) => EVENT_SCOPES[e]!),
      'chat:write', // summary, replies
      'commands', // /pushcheck
      'files:read', // downloads
      'files:write', // full report and Feedback draft attachments
    ]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });

  it('every interactive id the blocks use has a handler', () => {
    const matches = (id: string) => seen.actions.some((a) => (typeof a === 'string' ? a === id : a.test(id)));
    for (const id of [IDS.answerButtonId(0), IDS.answerButtonId(24), IDS.answerModalButton, IDS.feedbackDraft, IDS.moreQuestions, IDS.showAllEvidence])
      expect(matches(id), id).toBe(true);
    expect(seen.views.sort()).toEqual([IDS.answerModal, IDS.startModal].sort());
  });
});

describe('manifest.http.yml (HTTP mode, behind a load balancer)', () => {
  const http = ManifestSchema.parse(parse(readFileSync(new URL('../../manifest.http.yml', import.meta.url), 'utf8')));
  // The one endpoint createReceiver listens on for all three.
  const receiverEndpoint = '/slack/events';

  it('sends events, clicks and /pushcheck to the bot over HTTPS, with Socket Mode off', () => {
    expect(http.settings.socket_mode_enabled).toBe(false);
    const urls = [http.settings.event_subscriptions.request_url, http.settings.interactivity.request_url, ...http.features.slash_commands.map((c) => c.url)];
    expect(urls).toHaveLength(3);
    for (const u of urls) expect(new URL(u!)).toMatchObject({ protocol: 'https:', pathname: receiverEndpoint });
  });

  it('is the Socket Mode manifest in every other respect', () => {
    const strip = (m: typeof manifest) => ({
      ...m,
      features: { ...m.features, slash_commands: m.features.slash_commands.map(({ url: _url, ...c }) => c) },
      settings: {
        ...m.settings,
        socket_mode_enabled: undefined,
        event_subscriptions: { ...m.settings.event_subscriptions, request_url: undefined },
        interactivity: { ...m.settings.interactivity, request_url: undefined },
      },
    });
    expect(strip(http)).toEqual(strip(manifest));
  });
});
