import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { MAX_FRAME_BYTES } from '../../../shared/contract';
import type { Dispatch } from '../../api';
import type { EventBus } from '../../event-bus';
import { Admission } from './admission';
import { httpRequests } from './http-requests';
import { Client, describe, type ProtocolContext } from './protocol';
import { SessionAuth, type AuthLimits } from './session-auth';
import { sameOriginOnly, SocketAuth } from './socket-auth';

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
  // Listening comes first: the credentials are bound to the port, and nothing arrives before it.
  const server = await listen(options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const loginUrlFor = (token: string): string => `${origin}/?token=${token}`;
  const auth = new SessionAuth({
    port,
    token: options.token,
    limits: options.auth,
    now: options.now ?? Date.now,
    announce: (token, why) => announce(loginUrlFor(token), why),
    log: (line) => log(line),
  });
  const log = (line: string): void => write(auth.redact(line));

  server.on('request', httpRequests({ origin, port, auth, staticDir: options.staticDir, log }));
  const wss = new WebSocketServer({ server, path: '/ws', maxPayload: MAX_FRAME_BYTES, verifyClient: sameOriginOnly(origin, log) });
  // ws re-emits the HTTP server's errors here; unheard, they would end the process.
  wss.on('error', (error) => log(`socket server: ${describe(error)}`));
  const accept = acceptor(new SocketAuth(auth, log), {
    dispatch: options.dispatch,
    bus: options.bus,
    auth,
    admission: new Admission(),
    log,
  });
  wss.on('connection', (socket: WebSocket, req: IncomingMessage) => accept(socket, req.socket.remoteAddress));

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

function listen(port: number): Promise<Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** What the host does with each new socket: its handshake first, then the protocol. */
function acceptor(sockets: SocketAuth, context: ProtocolContext): (socket: WebSocket, remoteAddress: string | undefined) => void {
  let serial = 0;
  return (socket, remoteAddress) => {
    const handshake = sockets.begin(socket, remoteAddress);
    if (!handshake) return;
    serial += 1;
    const client = new Client(socket, serial, context);
    let open = false;
    socket.on('close', () => client.close());
    // ws closes the socket itself (1002, 1007, 1009…) before it emits; without a listener
    // the emit would end the process.
    socket.on('error', (error) => context.log(`socket dropped: ${error.message}`));
    socket.on('message', (data: RawData, isBinary: boolean) => {
      // Frames that arrive after a refusal (or any close) are not read.
      if (socket.readyState !== socket.OPEN) return;
      if (isBinary) {
        context.log('closed a socket that sent a binary frame');
        socket.close(1003, 'Swarmdeck accepts JSON text frames only');
        return;
      }
      const text = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      if (open) {
        client.receive(text);
        return;
      }
      const session = handshake.present(text);
      if (session === undefined) return;
      open = true;
      client.open(session);
    });
  };
}
