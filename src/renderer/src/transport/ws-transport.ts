import type { Envelope, OpInput, OpName, OpOutput } from '../../../shared/contract';
import { SwarmdeckError } from '../../../shared/errors';
import type { AppEvent, AppEventListener } from '../../../shared/events';
import {
  CLOSE_LOCKED_OUT,
  CLOSE_UNAUTHENTICATED,
  isSessionMessage,
  type AuthMessage,
  type RenewMessage,
} from '../../../shared/web-session';
import { NotAuditedListeners, openEnvelope, type NotAuditedListener } from './envelope';
import type { Transport } from './transport';

interface Pending {
  /** The operation called, to name it if its answer says it was not audited. */
  op: OpName;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

type ServerMessage = { id: number | null; envelope: Envelope } | { event: AppEvent };

/** What the transport needs of a socket: the browser's WebSocket in a tab, `ws` in a test. */
export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface SocketHandlers {
  open(): void;
  message(data: string): void;
  close(code: number, reason: string): void;
}

export type OpenSocket = (url: string, handlers: SocketHandlers) => SocketLike;

/** Where the session secret is kept: this origin's sessionStorage in a tab (never a cookie). */
export interface SessionStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const SESSION_KEY = 'swarmdeck.session';

const SIGN_IN = 'open the login URL printed by the Swarmdeck host (npm run serve)';

/**
 * In a browser tab served by the web host: one WebSocket for calls and events, reopened with
 * backoff if the host restarts. Its first frame presents the session secret this origin holds;
 * the host answers with a fresh one, and the transport asks for another at half its lifetime, so
 * a reload or a reconnect always has a live one and the operator never sees it expire. A
 * refusal (4401, 4429) ends the retries: only a new login can help, and retrying would only
 * count against the failure limit.
 */
export class WebSocketTransport implements Transport {
  readonly kind = 'websocket';
  private socket?: SocketLike;
  private opened?: Promise<SocketLike>;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<AppEventListener>();
  private readonly notAudited = new NotAuditedListeners();
  private retryMs = 250;
  private renewTimer?: ReturnType<typeof setTimeout>;
  /** Why calls cannot go through until the operator logs in again, once the host said so. */
  private signedOut?: SwarmdeckError;

  constructor(
    private readonly url: string,
    private readonly deps: { open: OpenSocket; store: SessionStore },
  ) {
    void this.connect().catch(() => undefined);
  }

  private connect(): Promise<SocketLike> {
    if (this.signedOut) return Promise.reject(this.signedOut);
    const secret = this.deps.store.getItem(SESSION_KEY);
    if (!secret) {
      this.signedOut = new SwarmdeckError('UNAUTHORIZED', `No session in this tab: ${SIGN_IN}`);
      return Promise.reject(this.signedOut);
    }
    this.opened ??= new Promise((resolve, reject) => {
      const socket = this.deps.open(this.url, {
        open: () => {
          // Calls may follow at once: the host reads frames in order, the session first.
          socket.send(JSON.stringify({ auth: secret } satisfies AuthMessage));
          this.socket = socket;
          this.retryMs = 250;
          resolve(socket);
        },
        message: (data) => this.receive(data),
        close: (code, reason) => {
          this.socket = undefined;
          this.opened = undefined;
          clearTimeout(this.renewTimer);
          const refused = code === CLOSE_UNAUTHENTICATED || code === CLOSE_LOCKED_OUT;
          if (refused) {
            // The secret opens nothing any more: forget it, so a reload does not present it again.
            this.deps.store.removeItem(SESSION_KEY);
            this.signedOut = new SwarmdeckError('UNAUTHORIZED', `${reason || 'The host refused this session'}. To go on, ${SIGN_IN}.`);
          }
          const lost = this.signedOut ?? new SwarmdeckError('NOT_CONNECTED', 'Lost the connection to the Swarmdeck host');
          for (const [, p] of this.pending) p.reject(lost);
          this.pending.clear();
          reject(this.signedOut ?? new SwarmdeckError('NOT_CONNECTED', 'Cannot reach the Swarmdeck host'));
          if (this.signedOut) return;
          setTimeout(() => void this.connect().catch(() => undefined), this.retryMs);
          this.retryMs = Math.min(this.retryMs * 2, 5000);
        },
      });
    });
    return this.opened;
  }

  private receive(data: string): void {
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (isSessionMessage(message)) {
      this.deps.store.setItem(SESSION_KEY, message.session.secret);
      this.scheduleRenewal(message.session.expiresInMs);
      return;
    }
    const m = message as ServerMessage;
    if ('event' in m) {
      for (const listener of this.listeners) listener(m.event);
      return;
    }
    if (m.id === null) return;
    const pending = this.pending.get(m.id);
    if (!pending) return;
    this.pending.delete(m.id);
    let result: unknown;
    try {
      result = openEnvelope(pending.op, m.envelope, (w) => this.notAudited.emit(w));
    } catch (error) {
      pending.reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    pending.resolve(result);
  }

  /**
   * At half the session's life, so a tab in the background (whose timers the browser slows to
   * about one a minute) still renews in time. A socket that is down then renews on reconnect:
   * the host answers every auth with a fresh session.
   */
  private scheduleRenewal(expiresInMs: number): void {
    clearTimeout(this.renewTimer);
    this.renewTimer = setTimeout(
      () => this.socket?.send(JSON.stringify({ renew: true } satisfies RenewMessage)),
      Math.max(50, expiresInMs / 2),
    );
  }

  async call<N extends OpName>(op: N, input: OpInput<N>): Promise<OpOutput<N>> {
    const socket = this.socket ?? (await this.connect());
    const id = this.nextId++;
    return new Promise<OpOutput<N>>((resolve, reject) => {
      this.pending.set(id, { op, resolve: resolve as (value: unknown) => void, reject });
      socket.send(JSON.stringify({ id, op, input }));
    });
  }

  subscribe(listener: AppEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onNotAudited(listener: NotAuditedListener): () => void {
    return this.notAudited.add(listener);
  }

  /** Stops renewing and closes the socket for good (tests; a tab simply goes away). */
  close(): void {
    clearTimeout(this.renewTimer);
    this.signedOut ??= new SwarmdeckError('NOT_CONNECTED', 'The transport was closed');
    this.socket?.close(1000, 'closed');
  }
}
