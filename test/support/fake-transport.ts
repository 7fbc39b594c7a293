/**
 * The renderer's transport for store tests: replies are what a test says main answers, and
 * every call is recorded. It stands in for main, not for Redis — a store test asserts what the
 * store does with replies and errors. Stores import their transport from the renderer's
 * `transport` module, so a test replaces that module with this one object:
 *
 *   vi.mock('../../src/renderer/src/transport', async () => ({ transport: (await import('../support/fake-transport')).fakeTransport }));
 */
import type { OpInput, OpName, OpOutput } from '../../src/shared/contract';
import type { AppEvent, AppEventListener } from '../../src/shared/events';
import type { NotAuditedListener } from '../../src/renderer/src/transport/envelope';
import type { Transport } from '../../src/renderer/src/transport/transport';

type Reply<N extends OpName> = (input: OpInput<N>) => OpOutput<N> | Promise<OpOutput<N>>;

export interface FakeCall {
  op: OpName;
  input: unknown;
}

export class FakeTransport implements Transport {
  readonly kind = 'websocket';
  readonly calls: FakeCall[] = [];
  private readonly replies = new Map<OpName, (input: unknown) => unknown>();
  private readonly listeners = new Set<AppEventListener>();

  /** What main answers to `op` from now on; a reply that throws is main's typed error. */
  answer<N extends OpName>(op: N, reply: Reply<N>): this {
    this.replies.set(op, reply as (input: unknown) => unknown);
    return this;
  }

  /** The inputs the store sent to `op`, oldest first. */
  inputs<N extends OpName>(op: N): OpInput<N>[] {
    return this.calls.filter((c) => c.op === op).map((c) => c.input as OpInput<N>);
  }

  /** Forgets every answer, call and listener: each test starts from nothing. */
  reset(): void {
    this.calls.length = 0;
    this.replies.clear();
    this.listeners.clear();
  }

  async call<N extends OpName>(op: N, input: OpInput<N>): Promise<OpOutput<N>> {
    this.calls.push({ op, input });
    const reply = this.replies.get(op);
    if (!reply) throw new Error(`fake transport: no answer for ${op}`);
    return (await reply(input)) as OpOutput<N>;
  }

  subscribe(listener: AppEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Main pushes an event to every subscriber. */
  push(event: AppEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  onNotAudited(listener: NotAuditedListener): () => void {
    void listener;
    return () => undefined;
  }
}

export const fakeTransport = new FakeTransport();
