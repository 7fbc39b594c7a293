import type { IncomingMessage, ServerResponse } from 'node:http';
import { SwarmdeckError } from '../../../shared/errors';
import { clientOf, type SessionAuth } from './session-auth';
import { readStatic } from './static-files';

/**
 * The web host's HTTP side: the login exchange (`GET /?token=…`), the static cookie that opens
 * the built renderer's files, and those files. The API is not here: it is the socket's alone.
 */

export const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

export interface HttpContext {
  /** `http://127.0.0.1:<port>`, the one origin the host serves. */
  origin: string;
  port: number;
  auth: SessionAuth;
  /** The built renderer (out/renderer). */
  staticDir: string;
  log: (line: string) => void;
}

/**
 * The request target as a URL. Only origin-form (`/path?query`) is served; `//` is a valid
 * path there, so the target is appended to our origin rather than resolved against it.
 */
function requestUrl(req: IncomingMessage, origin: string): URL {
  const target = req.url ?? '';
  if (!target.startsWith('/')) throw new SwarmdeckError('VALIDATION', 'The request target is not a path');
  try {
    return new URL(origin + target);
  } catch {
    throw new SwarmdeckError('VALIDATION', 'The request target is not a valid URL path');
  }
}

function plain(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(`${message}\n`);
}

/** A request the host could not serve: 400 for one it refuses, 500 for our own failure; either way one log line. */
function refuse(context: HttpContext, req: IncomingMessage, res: ServerResponse, error: unknown): void {
  const expected = error instanceof SwarmdeckError && error.code === 'VALIDATION';
  const why = error instanceof Error ? error.message : String(error);
  context.log(`${expected ? 'refused' : 'failed'} ${req.method ?? '?'} ${JSON.stringify((req.url ?? '').slice(0, 200))}: ${why}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(expected ? 400 : 500, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
  res.end(expected ? `${why}\n` : 'Swarmdeck: internal error\n');
}

async function serve(context: HttpContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { origin, auth, staticDir } = context;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, SECURITY_HEADERS).end();
    return;
  }
  const url = requestUrl(req, origin);
  if ((req.headers.host ?? '').toLowerCase() === `localhost:${context.port}`) {
    // The socket accepts one origin, 127.0.0.1, and sessionStorage and the cookie belong to the
    // origin the browser used: a session opened as `localhost` would be refused later without a
    // word. The same path and query on our own origin keep the login where it works.
    res.writeHead(307, { ...SECURITY_HEADERS, Location: origin + url.pathname.replace(/^\/+/, '/') + url.search });
    res.end();
    return;
  }
  const given = url.searchParams.get('token');
  if (given !== null) {
    const answer = auth.loginAnswer(given, {
      secFetchSite: req.headers['sec-fetch-site'],
      client: clientOf(req.socket.remoteAddress),
      pathname: url.pathname,
    });
    if (answer.status === 303) res.writeHead(303, { ...SECURITY_HEADERS, ...answer.headers }).end();
    else plain(res, answer.status, answer.message, answer.headers);
    return;
  }
  if (!auth.hasStaticCookie(req.headers.cookie)) {
    plain(res, 401, 'Swarmdeck: open the URL printed by "npm run serve" (it carries the access token).');
    return;
  }
  const file = await readStatic(staticDir, url.pathname);
  const fallback = file ?? (url.pathname.includes('.') ? undefined : await readStatic(staticDir, '/index.html'));
  if (!fallback) {
    res.writeHead(404, SECURITY_HEADERS).end();
    return;
  }
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': fallback.type });
  res.end(req.method === 'HEAD' ? undefined : fallback.body);
}

/** The HTTP server's request listener: every request gets an answer, a refusal included. */
export function httpRequests(context: HttpContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    serve(context, req, res).catch((error: unknown) => refuse(context, req, res, error));
  };
}
