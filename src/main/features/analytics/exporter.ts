import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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
        const r = await api.call('metrics.query', {
          profileId,
          series: w.series,
          tags: w.tags,
          from: now - LATEST_WINDOW_MS,
          to: now + 1,
          resolution: '1m',
        });
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
  if (!m?.[1] || !(port >= 0 && port <= 65_535))
    throw new SwarmdeckError('VALIDATION', `--listen must be host:port, got "${raw}"`, {
      fields: [{ path: 'listen', message: 'host:port' }],
    });
  return { host: m[1].replace(/^\[|\]$/g, ''), port };
}

/**
 * `host:port` as the WHATWG URL parser spells it (lower case, IPv6 compressed, IPv4 in dotted
 * decimal, port 80 when left out), or undefined for anything that is not a bare authority.
 */
function authority(raw: string): string | undefined {
  if (!/^[A-Za-z0-9.\-:[\]]+$/.test(raw)) return undefined;
  try {
    const url = new URL(`http://${raw}`);
    return `${url.hostname}:${url.port || '80'}`;
  } catch {
    return undefined;
  }
}

const literal = (host: string): string => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

/** Where only this machine can connect, yet a web page elsewhere can still reach it by DNS rebinding. */
export function isLoopback(host: string): boolean {
  const name = authority(literal(host))?.replace(/:\d+$/, '');
  return (
    name === 'localhost' ||
    name === '[::1]' ||
    /^127\.\d+\.\d+\.\d+$/.test(name ?? '') ||
    /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(name ?? '')
  );
}

/**
 * The Host headers a request to a loopback listener may carry: its own address or localhost,
 * with its port. A browser that DNS rebinding sent here names the attacker's host instead.
 */
function loopbackHosts(bound: string, port: number): Set<string> {
  const names = authority(literal(bound))?.startsWith('localhost:') ? ['localhost', '127.0.0.1', '[::1]'] : [literal(bound), 'localhost'];
  return new Set(names.map((h) => authority(`${h}:${port}`)).filter((h): h is string => h !== undefined));
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * `Authorization: Bearer <token>`, compared in constant time. Both sides are hashed first, so
 * neither a wrong length nor a common prefix answers any faster.
 */
function bearerMatches(req: IncomingMessage, expected: Buffer): boolean {
  const given = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')?.[1];
  // Compared even when absent, so a missing header answers no faster than a wrong one.
  const same = timingSafeEqual(digest(given ?? ''), expected);
  return same && given !== undefined;
}

export interface ExporterOptions {
  /** Asked for as a bearer token of every request when given. */
  token?: string;
}

/**
 * Serves `/metrics`; every scrape reads Redis afresh, so the figures are never older than the
 * request. On a loopback address a request must name that address (or localhost) in its Host
 * header; with a token, every request must carry it.
 */
export async function startExporter(
  api: ApiClient,
  profileId: string,
  at: ListenAddress,
  options: ExporterOptions = {},
): Promise<{ server: Server; url: string }> {
  if (options.token === '') throw new SwarmdeckError('VALIDATION', 'The exporter token is empty');
  const expected = options.token === undefined ? undefined : digest(options.token);
  const loopback = isLoopback(at.host);
  // Beyond loopback no Host check can tell a rebinding page from a scraper: the token must.
  if (!loopback && expected === undefined) {
    throw new SwarmdeckError(
      'VALIDATION',
      `Listening on ${at.host} serves every page a browser on the network opens (DNS rebinding): give --token-env VAR, or listen on 127.0.0.1`,
      {
        fields: [{ path: 'token-env', message: 'required beyond loopback' }],
      },
    );
  }
  let allowedHosts: Set<string> | undefined;
  const refuse = (res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(text);
  };
  const server = createServer((req, res) => {
    // Before the token: a rebinding page learns nothing, not even that a token is asked for.
    if (loopback && !allowedHosts?.has(authority(req.headers.host ?? '') ?? '')) {
      refuse(res, 421, 'this exporter answers to its own loopback address only\n');
      return;
    }
    if (expected && !bearerMatches(req, expected)) {
      refuse(res, 401, 'a bearer token is required\n', { 'www-authenticate': 'Bearer realm="swarmdeck exporter"' });
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      refuse(res, path === '/metrics' ? 405 : 404, 'only GET /metrics\n');
      return;
    }
    scrape(api, profileId)
      .then((s) => res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE }).end(render(familiesOf(s))))
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        refuse(res, 503, `scrape failed: ${message}\n`);
      });
  });
  let port = at.port;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new SwarmdeckError('UNAVAILABLE', `Cannot listen on ${at.host}:${at.port}: ${error.code ?? error.message}`)),
    );
    server.listen(at.port, at.host, () => {
      const addr = server.address();
      port = typeof addr === 'object' && addr ? addr.port : at.port;
      if (loopback) allowedHosts = loopbackHosts(at.host, port);
      resolve();
    });
  });
  const host = at.host.includes(':') ? `[${at.host}]` : at.host;
  return { server, url: `http://${host}:${port}/metrics` };
}
