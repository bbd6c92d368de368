import type { CustomRoute } from '@slack/bolt';

/** What the health check reports about the process: the store's kind, and a check that it answers. */
export interface HealthSource {
  store: { kind: string; ping(): Promise<void> };
  /** Which replica answered (a load balancer's view spreads over several). */
  replica?: string;
  /** How long the store may take to answer (default 2 s). */
  timeoutMs?: number;
}

const HEALTH_PATH = '/healthz';

/**
 * `GET /healthz` in HTTP mode: 200 when the store answers within the
 * timeout, 503 with the reason otherwise, so a load balancer stops sending
 * Slack's requests to a replica that could not record them.
 */
export function healthRoute(source: HealthSource): CustomRoute {
  const timeoutMs = source.timeoutMs ?? 2000;
  return {
    path: HEALTH_PATH,
    method: ['GET'],
    handler: (_req, res) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the ${source.store.kind} store did not answer within ${timeoutMs} ms`)), timeoutMs);
      });
      void Promise.race([source.store.ping(), timeout])
        .then(
          () => [200, { ok: true, store: source.store.kind }] as const,
          (e: unknown) => [503, { ok: false, store: source.store.kind, error: e instanceof Error ? e.message : String(e) }] as const,
        )
        .then(([status, body]) => {
          clearTimeout(timer);
          res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
          res.end(JSON.stringify({ ...body, ...(source.replica ? { replica: source.replica } : {}) }));
        });
    },
  };
}
