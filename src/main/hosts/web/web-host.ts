import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { isOpName, MAX_FRAME_BYTES, type Envelope } from '../../../shared/contract';
import { SwarmdeckError, type ErrorPayload } from '../../../shared/errors';
import { inputSizeError } from '../../../shared/input-size';
import type { Dispatch } from '../../api';
import type { EventBus } from '../../event-bus';
import { readStatic } from './static-files';

export interface WebHostOptions {
  dispatch: Dispatch;
  bus: EventBus;
  /** The built renderer (out/renderer). */
  staticDir: string;
  port?: number;
  token?: string;
  /** Where refused requests and dropped sockets are reported; one line each. */
  log?: (line: string) => void;
}

export interface WebHost {
  url: string;
  /** The URL to open: carries the one-time token that unlocks the session. */
  loginUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const COOKIE = 'swarmdeck_token';
/** Unread output a socket may hold before its client counts as gone: a tab that stopped reading must not grow main's heap. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** Calls one socket may have running at once; more are refused, so one tab cannot queue unbounded work. */
const MAX_CALLS_IN_FLIGHT = 64;

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

function sameToken(given: string | undefined | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Every value the Cookie header gives our name (RFC 6265: split at the first `=`, optional
 * quotes). Cookies are per host, not per port, so another Swarmdeck on 127.0.0.1 may have
 * left its own under the same name: any of them may be ours.
 */
function cookieTokens(req: IncomingMessage): string[] {
  const values: string[] = [];
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 0 || part.slice(0, at).trim() !== COOKIE) continue;
    const value = part.slice(at + 1).trim();
    values.push(value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value);
  }
  return values;
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

interface Call {
  id: number;
  op: string;
  input: unknown;
}

function isCall(value: unknown): value is Call {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'number' && Number.isFinite(v.id) && typeof v.op === 'string';
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function failure(payload: ErrorPayload): Envelope {
  return { ok: false, error: payload };
}

/**
 * Serves the built renderer and the API (WebSocket) on 127.0.0.1 only. The per-run token
 * arrives once in the URL, is swapped for a strict same-site cookie, and is checked on
 * every request and every socket. Whatever a client sends, the host answers it with a 4xx,
 * an error envelope or a close with a code, and goes on serving everyone else.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const log = options.log ?? ((line: string) => console.warn(`[swarmdeck web] ${line}`));
  let origin = '';

  const hasCookie = (req: IncomingMessage): boolean => cookieTokens(req).some((value) => sameToken(value, token));

  const server = createServer((req, res) => {
    serveHttp(req, res).catch((error: unknown) => refuseHttp(req, res, error));
  });

  function refuseHttp(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    const expected = error instanceof SwarmdeckError && error.code === 'VALIDATION';
    log(`${expected ? 'refused' : 'failed'} ${req.method ?? '?'} ${JSON.stringify((req.url ?? '').slice(0, 200))}: ${describe(error)}`);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(expected ? 400 : 500, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
    res.end(expected ? `${describe(error)}\n` : 'Swarmdeck: internal error\n');
  }

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, SECURITY_HEADERS).end();
      return;
    }
    const url = requestUrl(req, origin);
    if (sameToken(url.searchParams.get('token'), token)) {
      // Swap the URL token for a cookie and drop it from the address bar and history. The
      // leading slashes are folded so the Location can never read as `//other-host`.
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname.replace(/^\/+/, '/'),
      });
      res.end();
      return;
    }
    if (!hasCookie(req)) {
      res.writeHead(401, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Swarmdeck: open the URL printed by "npm run serve" (it carries the access token).\n');
      return;
    }
    const file = await readStatic(options.staticDir, url.pathname);
    const fallback = file ?? (url.pathname.includes('.') ? undefined : await readStatic(options.staticDir, '/index.html'));
    if (!fallback) {
      res.writeHead(404, SECURITY_HEADERS).end();
      return;
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': fallback.type });
    res.end(req.method === 'HEAD' ? undefined : fallback.body);
  }

  const wss = new WebSocketServer({
    server,
    path: '/ws',
    maxPayload: MAX_FRAME_BYTES,
    verifyClient: ({ req, origin: from }: { req: IncomingMessage; origin: string | undefined }) => {
      try {
        // Browsers always send Origin; a page of another site must not reach the API.
        const withToken = hasCookie(req) || sameToken(requestUrl(req, origin).searchParams.get('token'), token);
        const sameOrigin = from === undefined || from === origin;
        if (!withToken || !sameOrigin) log(`refused a socket: ${withToken ? `origin ${JSON.stringify(from)}` : 'no valid token'}`);
        return withToken && sameOrigin;
      } catch (error) {
        log(`refused a socket: ${describe(error)}`);
        return false;
      }
    },
  });
  // ws re-emits the HTTP server's errors here; unheard, they would end the process.
  wss.on('error', (error) => log(`socket server: ${describe(error)}`));

  wss.on('connection', (socket: WebSocket) => {
    let inFlight = 0;
    const send = (message: unknown): void => {
      if (socket.readyState !== socket.OPEN) return;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        log(`closed a socket that left ${socket.bufferedAmount} bytes unread`);
        socket.close(1008, 'Too slow: output left unread');
        return;
      }
      socket.send(JSON.stringify(message));
    };
    const reply = (id: number | null, envelope: Envelope): void => {
      try {
        send({ id, envelope });
      } catch (error) {
        // A result JSON cannot carry (a BigInt, a cycle) is our bug; the caller still gets an answer.
        log(`could not send the answer to call ${String(id)}: ${describe(error)}`);
        send({ id, envelope: failure({ code: 'INTERNAL', message: `The result could not be sent: ${describe(error)}` }) });
      }
    };
    const unsubscribe = options.bus.subscribe((event) => {
      try {
        send({ event });
      } catch (error) {
        log(`could not send event ${event.type}: ${describe(error)}`);
      }
    });
    socket.on('close', unsubscribe);
    // ws closes the socket itself (1002, 1007, 1009…) before it emits; without a listener
    // the emit would end the process.
    socket.on('error', (error) => log(`socket dropped: ${error.message}`));
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        log('closed a socket that sent a binary frame');
        socket.close(1003, 'Swarmdeck accepts JSON text frames only');
        return;
      }
      const text = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      let call: unknown;
      try {
        call = JSON.parse(text.toString());
      } catch {
        call = undefined;
      }
      if (!isCall(call)) {
        reply(null, failure({ code: 'VALIDATION', message: 'Malformed message: expected {"id": number, "op": string, "input": …}' }));
        return;
      }
      const { id, op, input } = call;
      const tooBig = isOpName(op) ? inputSizeError(op, input, text.length) : undefined;
      if (tooBig) {
        reply(id, failure(tooBig.toPayload()));
        return;
      }
      if (inFlight >= MAX_CALLS_IN_FLIGHT) {
        reply(id, failure({ code: 'UNAVAILABLE', message: `Too many calls at once: at most ${MAX_CALLS_IN_FLIGHT} per connection`, details: { limit: 'callsInFlight' } }));
        return;
      }
      inFlight += 1;
      options
        .dispatch(op, input)
        .catch((error: unknown) => failure({ code: 'INTERNAL', message: `Unexpected failure: ${describe(error)}` }))
        .then((envelope) => reply(id, envelope))
        .catch((error: unknown) => log(`call ${String(id)} failed to answer: ${describe(error)}`))
        .finally(() => (inFlight -= 1));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/`,
    loginUrl: `${origin}/?token=${token}`,
    token,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
