import type { WebSocket } from 'ws';
import { isOpName, type Envelope } from '../../../shared/contract';
import type { ErrorPayload } from '../../../shared/errors';
import { inputSizeError } from '../../../shared/input-size';
import { isRenewMessage, type SessionMessage } from '../../../shared/web-session';
import type { Dispatch } from '../../api';
import type { EventBus } from '../../event-bus';
import { Owner } from '../../owners';
import { profileOf, type Admission, type Lane, type Ticket } from './admission';
import type { SessionAuth } from './session-auth';
import type { Session } from './socket-auth';

/**
 * The protocol of an authenticated socket. The page sends `{id, op, input}` calls and
 * `{renew}`; the host sends `{id, envelope}` answers, `{event}` pushes and `{session}` renewals.
 * Whatever arrives, the caller gets an envelope or the socket a close with a code.
 */

/** Unread output a socket may hold before its client counts as gone: a tab that stopped reading must not grow main's heap. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export interface ProtocolContext {
  dispatch: Dispatch;
  bus: EventBus;
  auth: SessionAuth;
  /** Which call runs now and which waits, over every socket (admission.ts says why). */
  admission: Admission;
  log: (line: string) => void;
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

export const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function failure(payload: ErrorPayload): Envelope {
  return { ok: false, error: payload };
}

function parsed(text: Buffer): unknown {
  try {
    return JSON.parse(text.toString());
  } catch {
    return undefined;
  }
}

/** One socket's side of the protocol, from its session on. */
export class Client {
  /** What this socket's calls leave running is held in its name, and released when it closes. */
  private readonly owner: Owner;
  /** Its calls, as admission counts them. */
  private readonly lane: Lane;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly socket: WebSocket,
    serial: number,
    private readonly context: ProtocolContext,
  ) {
    this.owner = new Owner(`web:${serial}`, 'browser tab');
    this.lane = context.admission.lane();
  }

  /** The socket presented a valid session: it gets a fresh one with the answer, then the events. */
  open(session: Session): void {
    // A page that reconnects always holds the newest session.
    this.send({ session } satisfies SessionMessage);
    this.unsubscribe = this.context.bus.subscribe((event) => {
      try {
        this.send({ event });
      } catch (error) {
        this.context.log(`could not send event ${event.type}: ${describe(error)}`);
      }
    });
  }

  /** A text frame after the session. */
  receive(text: Buffer): void {
    const { admission } = this.context;
    const call = parsed(text);
    if (isRenewMessage(call)) {
      // An open socket is not closed when its session expires: it authenticated once, and
      // whoever holds it could renew anyway; closing it would only sign out a tab whose timers
      // were frozen (a laptop asleep). The expiry bounds the secret: a reload, a reconnect or
      // a leaked copy needs one that was renewed lately.
      this.send({ session: this.context.auth.mint() } satisfies SessionMessage);
      return;
    }
    if (!isCall(call)) {
      this.reply(null, failure({ code: 'VALIDATION', message: 'Malformed message: expected {"id": number, "op": string, "input": …}' }));
      return;
    }
    const tooBig = isOpName(call.op) ? inputSizeError(call.op, call.input, text.length) : undefined;
    if (tooBig) {
      this.reply(call.id, failure(tooBig.toPayload()));
      return;
    }
    if (admission.full(this.lane)) {
      this.reply(
        call.id,
        failure({
          code: 'UNAVAILABLE',
          message: `Too many calls at once: at most ${admission.limits.inFlightPerSocket} per connection`,
          details: { limit: 'callsInFlight' },
        }),
      );
      return;
    }
    admission.submit({
      lane: this.lane,
      profile: profileOf(call.input),
      ready: () => this.socket.readyState === this.socket.OPEN && !this.tooSlow(),
      run: (ticket) => this.run(call, ticket),
    });
  }

  /** The socket closed, whenever it did (before its session included). */
  close(): void {
    this.unsubscribe?.();
    this.context.admission.drop(this.lane);
    // Its watches and their subscriber connections, its MONITORs, its blocked console
    // commands and their connections: nobody reads them any more.
    void this.owner.release();
  }

  private run(call: Call, ticket: Ticket): Promise<void> {
    return (
      this.context
        // A call that moves to a connection of its own (a blocking console command) steps aside.
        .dispatch(call.op, call.input, { owner: this.owner, onOwnConnection: ticket.stepAside })
        .catch((error: unknown) => failure({ code: 'INTERNAL', message: `Unexpected failure: ${describe(error)}` }))
        .then((envelope) => this.reply(call.id, envelope))
        .catch((error: unknown) => this.context.log(`call ${String(call.id)} failed to answer: ${describe(error)}`))
    );
  }

  private reply(id: number | null, envelope: Envelope): void {
    try {
      this.send({ id, envelope });
    } catch (error) {
      // A result JSON cannot carry (a BigInt, a cycle) is our bug; the caller still gets an answer.
      this.context.log(`could not send the answer to call ${String(id)}: ${describe(error)}`);
      this.send({ id, envelope: failure({ code: 'INTERNAL', message: `The result could not be sent: ${describe(error)}` }) });
    }
  }

  private send(message: unknown): void {
    if (this.socket.readyState !== this.socket.OPEN || this.tooSlow()) return;
    this.socket.send(JSON.stringify(message));
  }

  private tooSlow(): boolean {
    if (this.socket.bufferedAmount <= MAX_BUFFERED_BYTES) return false;
    this.context.log(`closed a socket that left ${this.socket.bufferedAmount} bytes unread`);
    this.socket.close(1008, 'Too slow: output left unread');
    this.context.admission.drop(this.lane);
    return true;
  }
}
