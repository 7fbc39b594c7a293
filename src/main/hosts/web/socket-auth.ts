import type { WebSocket } from 'ws';
import { clientOf, type SessionAuth } from './session-auth';

/**
 * The socket's side of session-auth.ts: who may open /ws, and what a socket may hold before its
 * first frame has presented a session. Nothing is read, run or pushed until then.
 */

/** How long a socket may stay open without presenting its session. */
const AUTH_TIMEOUT_MS = 10_000;
/**
 * Sockets that have not presented a session yet. ws buffers a frame up to the 4 MB limit before
 * the first-frame check sees it, so each such socket can hold megabytes: they are bounded, and one
 * that times out is dropped at once rather than closed politely (which keeps it for 30 s more).
 */
const MAX_UNAUTHENTICATED = 16;

/** A session handed to a socket that presented a valid one. */
export interface Session {
  secret: string;
  expiresInMs: number;
}

/** A socket waiting for its first frame. */
export interface Handshake {
  /** The first frame: the fresh session when it presented a valid one; else the socket is closed with the code and reason. */
  present(frame: Buffer): Session | undefined;
}

/**
 * ws's `verifyClient`. Browsers always send Origin: a page of another origin (another port of
 * 127.0.0.1 included) is refused before a frame is read. The credential is checked on the first
 * frame, not here: nothing a browser attaches by itself (a cookie) opens the socket.
 */
export function sameOriginOnly(origin: string, log: (line: string) => void): (info: { origin: string | undefined }) => boolean {
  return ({ origin: from }) => {
    const sameOrigin = from === undefined || from === origin;
    if (!sameOrigin) log(`refused a socket: origin ${JSON.stringify(from)}`);
    return sameOrigin;
  };
}

export class SocketAuth {
  private unauthenticated = 0;

  constructor(
    private readonly auth: SessionAuth,
    private readonly log: (line: string) => void,
  ) {}

  /** Starts the wait for a new socket's first frame; undefined, the socket dropped, when too many others are waiting. */
  begin(socket: WebSocket, remoteAddress: string | undefined): Handshake | undefined {
    if (this.unauthenticated >= MAX_UNAUTHENTICATED) {
      this.log(`dropped a socket: ${MAX_UNAUTHENTICATED} others have not presented a session yet`);
      socket.terminate();
      return undefined;
    }
    this.unauthenticated += 1;
    let waiting = true;
    const timer = setTimeout(() => {
      this.log('dropped a socket: no session presented in time');
      socket.terminate();
    }, AUTH_TIMEOUT_MS);
    const settle = (): void => {
      clearTimeout(timer);
      if (waiting) this.unauthenticated -= 1;
      waiting = false;
    };
    socket.once('close', settle);
    const from = clientOf(remoteAddress);
    return {
      present: (frame) => {
        settle();
        const result = this.auth.firstFrame(frame, from);
        if (result.ok) return { secret: result.secret, expiresInMs: result.expiresInMs };
        this.log(`refused a socket: ${result.reason}`);
        socket.close(result.code, result.reason);
        return undefined;
      },
    };
  }
}
