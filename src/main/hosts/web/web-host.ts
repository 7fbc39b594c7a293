import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
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
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

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

function cookieToken(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === COOKIE) return value;
  }
  return undefined;
}

interface Call {
  id: number;
  op: string;
  input: unknown;
}

function isCall(value: unknown): value is Call {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'number' && typeof v.op === 'string';
}

/**
 * Serves the built renderer and the API (WebSocket) on 127.0.0.1 only. The per-run token
 * arrives once in the URL, is swapped for a strict same-site cookie, and is checked on
 * every request and every socket.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  let origin = '';

  const server = createServer((req, res) => void serveHttp(req, res));

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, SECURITY_HEADERS).end();
      return;
    }
    const fromQuery = url.searchParams.get('token');
    if (sameToken(fromQuery, token)) {
      // Swap the URL token for a cookie and drop it from the address bar and history.
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname,
      });
      res.end();
      return;
    }
    if (!sameToken(cookieToken(req), token)) {
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
    maxPayload: MAX_MESSAGE_BYTES,
    verifyClient: ({ req, origin: from }: { req: IncomingMessage; origin: string }) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const authorised = sameToken(cookieToken(req), token) || sameToken(url.searchParams.get('token'), token);
      // Browsers always send Origin; a page of another site must not reach the API.
      return authorised && (from === undefined || from === origin);
    },
  });

  wss.on('connection', (socket: WebSocket) => {
    const send = (message: unknown): void => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    const unsubscribe = options.bus.subscribe((event) => send({ event }));
    socket.on('close', unsubscribe);
    socket.on('message', (data) => {
      let call: unknown;
      try {
        call = JSON.parse(data.toString());
      } catch {
        call = undefined;
      }
      if (!isCall(call)) {
        send({ id: null, envelope: { ok: false, error: { code: 'VALIDATION', message: 'Malformed message: expected {"id": number, "op": string, "input": …}' } } });
        return;
      }
      void options.dispatch(call.op, call.input).then((envelope) => send({ id: call.id, envelope }));
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
