import { createServer, type Server } from 'node:http';
import { SwarmdeckError } from '../../../shared/errors';
import type { ApiClient } from '../../api';
import { familiesOf, PROMETHEUS_CONTENT_TYPE, render, type Scrape } from './prometheus';

/** The latest bucket of a series is searched this far back: two 1 min buckets. */
const LATEST_WINDOW_MS = 120_000;

/**
 * Reads one scrape through the contract: health, queues, swarms, and the latest 1 min bucket of
 * every recorded series and tag set. A part that fails (no swarms on this Redis, say) is left
 * out of the scrape rather than failing all of it; the others still tell the truth.
 */
export async function scrape(api: ApiClient, profileId: string, now = Date.now()): Promise<Scrape> {
  const settle = async <T>(p: Promise<T>): Promise<T | undefined> => p.catch(() => undefined);
  const [health, queues, swarms, list] = await Promise.all([
    settle(api.call('health.snapshot', { profileId })),
    settle(api.call('queues.list', { profileId })),
    settle(api.call('swarms.list', { profileId })),
    api.call('metrics.series', { profileId }),
  ]);
  const wanted = list.flatMap((s) => (s.tagSets.length ? s.tagSets : [{}]).map((tags) => ({ series: s.series, tags })));
  const series: Scrape['series'] = [];
  for (let i = 0; i < wanted.length; i += 8) {
    const rows = await Promise.all(
      wanted.slice(i, i + 8).map(async (w) => {
        const r = await api.call('metrics.query', { profileId, series: w.series, tags: w.tags, from: now - LATEST_WINDOW_MS, to: now + 1, resolution: '1m' });
        const bucket = r.buckets.at(-1);
        return bucket ? [{ series: w.series, tags: w.tags, bucket }] : [];
      }),
    );
    series.push(...rows.flat());
  }
  return { health, queues, swarms, series };
}

export interface ListenAddress {
  host: string;
  port: number;
}

export function parseListen(raw: string): ListenAddress {
  const m = /^(\[[0-9a-fA-F:]+\]|[^:]+):(\d{1,5})$/.exec(raw);
  const port = m ? Number(m[2]) : NaN;
  if (!m?.[1] || !(port >= 0 && port <= 65_535)) throw new SwarmdeckError('VALIDATION', `--listen must be host:port, got "${raw}"`, { fields: [{ path: 'listen', message: 'host:port' }] });
  return { host: m[1].replace(/^\[|\]$/g, ''), port };
}

/** Serves `/metrics`; every scrape reads Redis afresh, so the figures are never older than the request. */
export async function startExporter(api: ApiClient, profileId: string, at: ListenAddress): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(path === '/metrics' ? 405 : 404, { 'content-type': 'text/plain; charset=utf-8' }).end('only GET /metrics\n');
      return;
    }
    scrape(api, profileId)
      .then((s) => res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE }).end(render(familiesOf(s))))
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end(`scrape failed: ${message}\n`);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(new SwarmdeckError('UNAVAILABLE', `Cannot listen on ${at.host}:${at.port}: ${error.code ?? error.message}`)));
    server.listen(at.port, at.host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : at.port;
  const host = at.host.includes(':') ? `[${at.host}]` : at.host;
  return { server, url: `http://${host}:${port}/metrics` };
}
