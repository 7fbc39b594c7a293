import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { isOpName, MAX_FRAME_BYTES, type Envelope } from '../../../shared/contract';
import { SwarmdeckError, type ErrorPayload } from '../../../shared/errors';
import { inputSizeError } from '../../../shared/input-size';
import type { Dispatch } from '../../api';
import { isRenewMessage, type SessionMessage } from '../../../shared/web-session';
import type { EventBus } from '../../event-bus';
import { Owner } from '../../owners';
import { Admission, profileOf, type Lane, type Ticket } from './admission';
import { clientOf, SessionAuth, type AuthLimits } from './session-auth';
import { readStatic } from './static-files';

export interface WebHostOptions {
  dispatch: Dispatch;
  bus: EventBus;
  /** The built renderer (out/renderer). */
  staticDir: string;
  port?: number;
  /** The first login token (SWARMDECK_TOKEN); random when absent, and every later one is. */
  token?: string;
  /** Lifetimes and the failure limit (session-auth.ts has the defaults and why). */
  auth?: Partial<AuthLimits>;
  /** The clock of every expiry and lockout; tests move it. */
  now?: () => number;
  /** Where refused requests and dropped sockets are reported; one line each. */
  log?: (line: string) => void;
  /** Told each login URL made after the first (the last expired, or one was asked for); the console by default. */
  announce?: (loginUrl: string, why: 'expired' | 'requested') => void;
}

export interface WebHost {
  url: string;
  /** The URL to open now: it carries the login token, which opens sessions until it expires. */
  readonly loginUrl: string;
  readonly token: string;
  port: number;
  /** Makes a fresh login URL (the current one stops working), announces it and returns it. */
  renewLogin(): string;
  close(): Promise<void>;
}

/** Unread output a socket may hold before its client counts as gone: a tab that stopped reading must not grow main's heap. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** How long a socket may stay open without presenting its session. */
const AUTH_TIMEOUT_MS = 10_000;
/**
 * Sockets that have not presented a session yet. ws buffers a frame up to the 4 MB limit before
 * the first-frame check sees it, so each such socket can hold megabytes: they are bounded, and one
 * that times out is dropped at once rather than closed politely (which keeps it for 30 s more).
 */
const MAX_UNAUTHENTICATED = 16;

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

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

interface ClientState {
  socket: WebSocket;
  /** What this socket's calls leave running is held in its name, and released when it closes. */
  owner: Owner;
  /** Its calls, as admission counts them. */
  lane: Lane;
  reply: (id: number | null, envelope: Envelope) => void;
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
 * Serves the built renderer and the API (WebSocket) on 127.0.0.1 only. The login token arrives
 * in the URL and is exchanged for a session secret that only this origin's page can hold; the
 * socket opens to that secret alone (session-auth.ts says why another page or a local process
 * cannot get one). Whatever a client sends, the host answers it with a 4xx, an error envelope
 * or a close with a code, and goes on serving everyone else.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const write = options.log ?? ((line: string) => console.warn(`[swarmdeck web] ${line}`));
  const announce =
    options.announce ??
    ((url: string, why: string) =>
      console.log(`Swarmdeck web host: ${url} (${why === 'expired' ? 'the previous login URL expired' : 'a new login URL'})`));
  const now = options.now ?? Date.now;
  // Listening comes first: the credentials are bound to the port, and nothing arrives before it.
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const loginUrlFor = (token: string): string => `${origin}/?token=${token}`;
  const auth = new SessionAuth({
    port,
    token: options.token,
    limits: options.auth,
    now,
    announce: (token, why) => announce(loginUrlFor(token), why),
    log: (line) => log(line),
  });
  const log = (line: string): void => write(auth.redact(line));

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
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

  function isLocalhost(req: IncomingMessage): boolean {
    return (req.headers.host ?? '').toLowerCase() === `localhost:${port}`;
  }

  function plain(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
    res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...headers });
    res.end(`${message}\n`);
  }

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, SECURITY_HEADERS).end();
      return;
    }
    const url = requestUrl(req, origin);
    if (isLocalhost(req)) {
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
    // Browsers always send Origin: a page of another origin (another port of 127.0.0.1 included)
    // is refused before a frame is read. The credential is checked on the first frame, not here:
    // nothing a browser attaches by itself (a cookie) opens the socket.
    verifyClient: ({ origin: from }: { origin: string | undefined }) => {
      const sameOrigin = from === undefined || from === origin;
      if (!sameOrigin) log(`refused a socket: origin ${JSON.stringify(from)}`);
      return sameOrigin;
    },
  });
  // ws re-emits the HTTP server's errors here; unheard, they would end the process.
  wss.on('error', (error) => log(`socket server: ${describe(error)}`));

  // Which call runs now and which waits, over every socket (admission.ts says why).
  const admission = new Admission();

  const tooSlow = (client: ClientState): boolean => {
    if (client.socket.bufferedAmount <= MAX_BUFFERED_BYTES) return false;
    log(`closed a socket that left ${client.socket.bufferedAmount} bytes unread`);
    client.socket.close(1008, 'Too slow: output left unread');
    admission.drop(client.lane);
    return true;
  };

  const run = (client: ClientState, call: Call, ticket: Ticket): Promise<void> =>
    options
      // A call that moves to a connection of its own (a blocking console command) steps aside.
      .dispatch(call.op, call.input, { owner: client.owner, onOwnConnection: ticket.stepAside })
      .catch((error: unknown) => failure({ code: 'INTERNAL', message: `Unexpected failure: ${describe(error)}` }))
      .then((envelope) => client.reply(call.id, envelope))
      .catch((error: unknown) => log(`call ${String(call.id)} failed to answer: ${describe(error)}`));

  let sockets = 0;
  let unauthenticated = 0;
  wss.on('connection', (socket: WebSocket, req: IncomingMessage) => {
    if (unauthenticated >= MAX_UNAUTHENTICATED) {
      log(`dropped a socket: ${MAX_UNAUTHENTICATED} others have not presented a session yet`);
      socket.terminate();
      return;
    }
    unauthenticated += 1;
    let counted = true;
    const authenticated = (): void => {
      if (counted) unauthenticated -= 1;
      counted = false;
    };
    sockets += 1;
    const from = clientOf(req.socket.remoteAddress);
    const send = (message: unknown): void => {
      if (socket.readyState !== socket.OPEN || tooSlow(client)) return;
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
    const client: ClientState = { socket, owner: new Owner(`web:${sockets}`, 'browser tab'), lane: admission.lane(), reply };
    // Nothing is read, run or pushed until the first frame has presented a valid session.
    let unsubscribe: (() => void) | undefined;
    const refuse = (code: number, reason: string): void => {
      log(`refused a socket: ${reason}`);
      socket.close(code, reason);
    };
    const authTimer = setTimeout(() => {
      log('dropped a socket: no session presented in time');
      socket.terminate();
    }, AUTH_TIMEOUT_MS);
    const authenticate = (text: Buffer): void => {
      clearTimeout(authTimer);
      authenticated();
      const result = auth.firstFrame(text, from);
      if (!result.ok) {
        refuse(result.code, result.reason);
        return;
      }
      // A fresh session with the answer: a page that reconnects always holds the newest one.
      send({ session: { secret: result.secret, expiresInMs: result.expiresInMs } } satisfies SessionMessage);
      unsubscribe = options.bus.subscribe((event) => {
        try {
          send({ event });
        } catch (error) {
          log(`could not send event ${event.type}: ${describe(error)}`);
        }
      });
    };
    socket.on('close', () => {
      clearTimeout(authTimer);
      authenticated();
      unsubscribe?.();
      admission.drop(client.lane);
      // Its watches and their subscriber connections, its MONITORs, its blocked console
      // commands and their connections: nobody reads them any more.
      void client.owner.release();
    });
    // ws closes the socket itself (1002, 1007, 1009…) before it emits; without a listener
    // the emit would end the process.
    socket.on('error', (error) => log(`socket dropped: ${error.message}`));
    socket.on('message', (data: RawData, isBinary: boolean) => {
      // Frames that arrive after a refusal (or any close) are not read.
      if (socket.readyState !== socket.OPEN) return;
      if (isBinary) {
        log('closed a socket that sent a binary frame');
        socket.close(1003, 'Swarmdeck accepts JSON text frames only');
        return;
      }
      const text = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      if (unsubscribe === undefined) {
        authenticate(text);
        return;
      }
      let call: unknown;
      try {
        call = JSON.parse(text.toString());
      } catch {
        call = undefined;
      }
      if (isRenewMessage(call)) {
        // An open socket is not closed when its session expires: it authenticated once, and
        // whoever holds it could renew anyway; closing it would only sign out a tab whose timers
        // were frozen (a laptop asleep). The expiry bounds the secret: a reload, a reconnect or
        // a leaked copy needs one that was renewed lately.
        send({ session: auth.mint() } satisfies SessionMessage);
        return;
      }
      if (!isCall(call)) {
        reply(null, failure({ code: 'VALIDATION', message: 'Malformed message: expected {"id": number, "op": string, "input": …}' }));
        return;
      }
      const tooBig = isOpName(call.op) ? inputSizeError(call.op, call.input, text.length) : undefined;
      if (tooBig) {
        reply(call.id, failure(tooBig.toPayload()));
        return;
      }
      if (admission.full(client.lane)) {
        reply(
          call.id,
          failure({
            code: 'UNAVAILABLE',
            message: `Too many calls at once: at most ${admission.limits.inFlightPerSocket} per connection`,
            details: { limit: 'callsInFlight' },
          }),
        );
        return;
      }
      // The closures below outlive the narrowing of `call`.
      const admitted = call;
      admission.submit({
        lane: client.lane,
        profile: profileOf(admitted.input),
        ready: () => socket.readyState === socket.OPEN && !tooSlow(client),
        run: (ticket) => run(client, admitted, ticket),
      });
    });
  });

  return {
    url: `${origin}/`,
    get loginUrl() {
      return loginUrlFor(auth.token);
    },
    get token() {
      return auth.token;
    },
    port,
    renewLogin: () => loginUrlFor(auth.renewLogin()),
    close: () =>
      new Promise<void>((resolve) => {
        auth.close();
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
