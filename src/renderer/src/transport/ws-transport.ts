import type { Envelope, OpInput, OpName, OpOutput } from '../../../shared/contract';
import { SwarmdeckError } from '../../../shared/errors';
import type { AppEvent, AppEventListener } from '../../../shared/events';
import type { Transport } from './transport';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

type ServerMessage = { id: number | null; envelope: Envelope } | { event: AppEvent };

/**
 * In a browser tab served by the web host: one WebSocket for calls and events, reopened
 * with backoff if the host restarts. The session cookie set by the host authenticates it.
 */
export class WebSocketTransport implements Transport {
  readonly kind = 'websocket';
  private socket?: WebSocket;
  private opened?: Promise<WebSocket>;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<AppEventListener>();
  private retryMs = 250;

  constructor(private readonly url: string) {
    void this.connect();
  }

  private connect(): Promise<WebSocket> {
    this.opened ??= new Promise((resolve, reject) => {
      const socket = new WebSocket(this.url);
      socket.onopen = () => {
        this.socket = socket;
        this.retryMs = 250;
        resolve(socket);
      };
      socket.onmessage = (message) => this.receive(JSON.parse(String(message.data)) as ServerMessage);
      socket.onclose = () => {
        this.socket = undefined;
        this.opened = undefined;
        for (const [, p] of this.pending) p.reject(new SwarmdeckError('NOT_CONNECTED', 'Lost the connection to the Swarmdeck host'));
        this.pending.clear();
        reject(new SwarmdeckError('NOT_CONNECTED', 'Cannot reach the Swarmdeck host'));
        setTimeout(() => void this.connect().catch(() => undefined), this.retryMs);
        this.retryMs = Math.min(this.retryMs * 2, 5000);
      };
    });
    return this.opened;
  }

  private receive(message: ServerMessage): void {
    if ('event' in message) {
      for (const listener of this.listeners) listener(message.event);
      return;
    }
    if (message.id === null) return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.envelope.ok) pending.resolve(message.envelope.result);
    else pending.reject(SwarmdeckError.fromPayload(message.envelope.error));
  }

  async call<N extends OpName>(op: N, input: OpInput<N>): Promise<OpOutput<N>> {
    const socket = this.socket ?? (await this.connect());
    const id = this.nextId++;
    return new Promise<OpOutput<N>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      socket.send(JSON.stringify({ id, op, input }));
    });
  }

  subscribe(listener: AppEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
