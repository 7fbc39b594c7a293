import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Cluster } from 'ioredis';
import { ChannelPatternSchema, ChannelSchema, MessageTypeSchema, type EnvelopeHeader } from '../../../shared/contract/messaging';
import { systemClock, type Clock } from '../../../shared/clock';
import { SwarmdeckError } from '../../../shared/errors';
import type { RedisClient } from '../../redis/client-options';
import { messageChannel, messageReplyChannel } from '../../redis/keyspace';
import { toSwarmdeckError } from '../../redis/describe-error';
import { duplicateSubscriber } from '../../redis/read-only-guard';
import { decodeEnvelope, encodeEnvelope, newHeader, type Envelope, type Keyring } from './envelope';

export interface MessagingOptions {
  prefix?: string;
  /** Named in every envelope this client sends. Default `<host>:<pid>`. */
  publisher?: string;
  keyring?: Keyring;
  /** Deflate bodies above this many bytes. Default 1 KiB. */
  compressAbove?: number;
  /**
   * On a cluster, exact-channel subscribers listen sharded (SSUBSCRIBE) and pattern subscribers
   * global (PSUBSCRIBE), which SPUBLISH never reaches: a publish also goes out globally so that
   * patterns hear it. Turn off when nobody watches patterns, to spare the cluster bus.
   */
  patternFanout?: boolean;
  clock?: Clock;
}

/** One raw message as Redis delivered it. */
export interface RawMessage {
  /** The Redis channel. */
  channel: string;
  /** The pattern that matched, for pattern subscriptions. */
  pattern?: string;
  data: Buffer;
}

export interface Subscription {
  close(): Promise<void>;
}

interface Pending {
  resolve(envelope: Envelope): void;
  reject(error: SwarmdeckError): void;
  timer: NodeJS.Timeout;
}

function check(schema: typeof ChannelSchema | typeof ChannelPatternSchema | typeof MessageTypeSchema, value: string, path: string): void {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? 'invalid';
    throw new SwarmdeckError('VALIDATION', `${path}: ${message}`, { fields: [{ path, message }] });
  }
}

/**
 * Publish/subscribe and request/response over Redis with envelopes (id, time, publisher,
 * type, payload; optionally deflated and sealed). Subscriptions share one connection of their
 * own per instance, never the profile's shared one; requests share one reply channel per
 * instance, so 10,000 requests hold one subscription, and every timer ends with its request.
 */
export class Messaging {
  readonly publisher: string;
  readonly clientId = randomUUID();
  private readonly prefix: string;
  private readonly cluster: boolean;
  private subscriber?: RedisClient;
  /** Handlers by subscription (`c:<channel>`, `s:<channel>` sharded, `p:<pattern>`). */
  private readonly handlers = new Map<string, Set<(message: RawMessage) => void>>();
  /** In-flight SUBSCRIBE/UNSUBSCRIBE per subscription, so a close and a reopen never cross. */
  private readonly changes = new Map<string, Promise<unknown>>();
  private readonly pending = new Map<string, Pending>();
  private reply?: Promise<Subscription>;
  private closed = false;

  constructor(
    private readonly client: RedisClient,
    private readonly options: MessagingOptions = {},
  ) {
    this.prefix = options.prefix ?? 'sd';
    this.publisher = options.publisher ?? `${hostname()}:${process.pid}`;
    this.cluster = client instanceof Cluster;
  }

  get keyring(): Keyring | undefined {
    return this.options.keyring;
  }

  /** The Redis channel of a messaging channel name. */
  channel(name: string): string {
    return messageChannel(this.prefix, name);
  }

  /** Requests in flight (each holds one timer). */
  get inFlight(): number {
    return this.pending.size;
  }

  /** The reply channel requests of this instance are answered on. */
  get replyChannel(): string {
    return messageReplyChannel(this.prefix, this.clientId);
  }

  encode(type: string, payload: unknown, extra: Partial<EnvelopeHeader> = {}): { wire: Buffer; header: EnvelopeHeader } {
    check(MessageTypeSchema, type, 'type');
    const header = newHeader(this.publisher, type, extra, (this.options.clock ?? systemClock).now());
    return { header, wire: encodeEnvelope(header, payload, { compressAbove: this.options.compressAbove, keyring: this.options.keyring }) };
  }

  decode<T = unknown>(data: Buffer): Envelope<T> {
    return decodeEnvelope<T>(data, this.options.keyring);
  }

  /** Publishes an envelope; resolves with its id and how many subscribers received it. */
  async publish(
    channel: string,
    type: string,
    payload: unknown,
    extra: Partial<EnvelopeHeader> = {},
  ): Promise<{ id: string; receivers: number }> {
    check(ChannelSchema, channel, 'channel');
    const { wire, header } = this.encode(type, payload, extra);
    return { id: header.id, receivers: await this.publishRaw(this.channel(channel), wire) };
  }

  /**
   * Sends bytes as they are to a Redis channel (routing forwards envelopes untouched). Resolves
   * with the subscribers Redis counted: exact on a standalone server; on a cluster, the shard's
   * sharded subscribers plus only those pattern subscribers connected to the node the global
   * PUBLISH reached (the others hear it over the cluster bus, uncounted).
   */
  async publishRaw(redisChannel: string, wire: Buffer): Promise<number> {
    if (!this.cluster) return this.client.publish(redisChannel, wire);
    const sharded = (this.client as Cluster).spublish(redisChannel, wire);
    const global = this.options.patternFanout === false ? Promise.resolve(0) : this.client.publish(redisChannel, wire);
    const [a, b] = await Promise.all([sharded, global]);
    return Number(a) + Number(b);
  }

  /** Every message on one channel, raw. Sharded on a cluster. */
  async subscribeRaw(channel: string, handler: (message: RawMessage) => void): Promise<Subscription> {
    check(ChannelSchema, channel, 'channel');
    return this.listen(this.cluster ? 's' : 'c', this.channel(channel), handler);
  }

  /** Every message on channels matching a pattern (`*`, `?`), raw. Global pub/sub, also on a cluster. */
  async psubscribeRaw(pattern: string, handler: (message: RawMessage) => void): Promise<Subscription> {
    check(ChannelPatternSchema, pattern, 'pattern');
    return this.listen('p', this.channel(pattern), handler);
  }

  /** A Redis channel of Swarmdeck's own (wake-ups), global pub/sub also on a cluster: scripts PUBLISH to it. */
  subscribeGlobalRaw(redisChannel: string, handler: (message: RawMessage) => void): Promise<Subscription> {
    return this.listen('c', redisChannel, handler);
  }

  /**
   * Envelopes on a channel, opened. One that cannot be opened (tampered, truncated, unknown
   * key) goes to `onReject` with its typed error and never to `handler`.
   */
  subscribe<T = unknown>(
    channel: string,
    handler: (envelope: Envelope<T>, channel: string) => void,
    onReject?: (error: SwarmdeckError, message: RawMessage) => void,
  ): Promise<Subscription> {
    return this.subscribeRaw(channel, (message) => this.deliver(message, handler, onReject));
  }

  psubscribe<T = unknown>(
    pattern: string,
    handler: (envelope: Envelope<T>, channel: string) => void,
    onReject?: (error: SwarmdeckError, message: RawMessage) => void,
  ): Promise<Subscription> {
    return this.psubscribeRaw(pattern, (message) => this.deliver(message, handler, onReject));
  }

  /**
   * Sends a request and waits for its reply. The reply comes on this instance's one reply
   * channel, matched by correlation id; on timeout the request is forgotten (its timer
   * cleared, a late reply dropped) and `TIMEOUT` is thrown.
   */
  async request<T = unknown>(channel: string, type: string, payload: unknown, options: { timeoutMs?: number } = {}): Promise<Envelope<T>> {
    const timeoutMs = options.timeoutMs ?? 5000;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
      throw new SwarmdeckError('VALIDATION', 'timeoutMs: a whole number of ms ≥ 1', {
        fields: [{ path: 'timeoutMs', message: 'a whole number ≥ 1' }],
      });
    check(ChannelSchema, channel, 'channel');
    await this.replies();
    const { wire, header } = this.encode(type, payload, { replyTo: this.replyChannel });
    const id = header.id;
    const reply = new Promise<Envelope>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new SwarmdeckError('TIMEOUT', `No reply to ${type} on ${channel} within ${timeoutMs} ms`, { channel, type, timeoutMs }));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
    });
    // The reply is awaited from now on, not after the publish: a timeout that fires while the
    // publish is still on its way must reject a promise somebody already listens to.
    this.publishRaw(this.channel(channel), wire).catch((error: unknown) => {
      this.settle(id)?.reject(error instanceof SwarmdeckError ? error : new SwarmdeckError('REDIS_ERROR', String(error)));
    });
    return (await reply) as Envelope<T>;
  }

  /** Answers requests on a channel; a handler's error goes back to the caller as a typed error. */
  serve<T = unknown>(channel: string, handler: (request: Envelope<T>) => unknown): Promise<Subscription> {
    return this.subscribe<T>(channel, (request) => {
      const replyTo = request.replyTo;
      if (replyTo === undefined) return;
      void (async () => {
        let wire: Buffer;
        try {
          wire = this.encode(`${request.type}.reply`, await handler(request), { correlationId: request.id }).wire;
        } catch (error) {
          const payload = error instanceof SwarmdeckError ? error.toPayload() : { code: 'INTERNAL', message: String(error) };
          wire = this.encode('error', payload, { correlationId: request.id }).wire;
        }
        await this.publishRaw(replyTo, wire).catch(() => undefined);
      })();
    });
  }

  /** Ends every request (as `DISCONNECTED`) and subscription, and the subscriber connection. */
  async close(): Promise<void> {
    this.closed = true;
    for (const id of [...this.pending.keys()])
      this.settle(id)?.reject(new SwarmdeckError('DISCONNECTED', 'The messaging client was closed'));
    this.handlers.clear();
    this.reply = undefined;
    const sub = this.subscriber;
    this.subscriber = undefined;
    if (sub) await sub.quit().catch(() => sub.disconnect());
  }

  private settle(id: string): Pending | undefined {
    const entry = this.pending.get(id);
    if (!entry) return undefined;
    clearTimeout(entry.timer);
    this.pending.delete(id);
    return entry;
  }

  private replies(): Promise<Subscription> {
    this.reply ??= this.listen(this.cluster ? 's' : 'c', this.replyChannel, (message) => {
      let envelope: Envelope;
      try {
        envelope = this.decode(message.data);
      } catch {
        return;
      }
      const entry = envelope.correlationId === undefined ? undefined : this.settle(envelope.correlationId);
      if (!entry) return;
      if (envelope.type === 'error') {
        const p = envelope.payload as { code?: unknown; message?: unknown };
        entry.reject(
          new SwarmdeckError(typeof p.code === 'string' ? (p.code as 'INTERNAL') : 'INTERNAL', String(p.message ?? 'The responder failed')),
        );
      } else {
        entry.resolve(envelope);
      }
    }).catch((error: unknown) => {
      this.reply = undefined;
      throw error;
    });
    return this.reply;
  }

  private deliver<T>(
    message: RawMessage,
    handler: (envelope: Envelope<T>, channel: string) => void,
    onReject?: (error: SwarmdeckError, message: RawMessage) => void,
  ): void {
    let envelope: Envelope<T>;
    try {
      envelope = this.decode<T>(message.data);
    } catch (error) {
      onReject?.(error instanceof SwarmdeckError ? error : new SwarmdeckError('BAD_MESSAGE', String(error)), message);
      return;
    }
    handler(envelope, message.channel);
  }

  private connection(): RedisClient {
    if (this.closed) throw new SwarmdeckError('DISCONNECTED', 'The messaging client was closed');
    if (this.subscriber) return this.subscriber;
    // A connection of its own: a subscribed connection can send nothing else, and on a
    // read-only profile this one may subscribe where the shared one may not.
    const sub = this.cluster ? duplicateSubscriber(this.client, [], { shardedSubscribers: true }) : duplicateSubscriber(this.client);
    const emit = (kind: string, name: string, message: RawMessage): void => {
      for (const handler of this.handlers.get(`${kind}:${name}`) ?? []) handler(message);
    };
    sub.on('messageBuffer', (channel: Buffer, data: Buffer) => emit('c', channel.toString(), { channel: channel.toString(), data }));
    sub.on('smessageBuffer', (channel: Buffer, data: Buffer) => emit('s', channel.toString(), { channel: channel.toString(), data }));
    sub.on('pmessageBuffer', (pattern: Buffer, channel: Buffer, data: Buffer) =>
      emit('p', pattern.toString(), { channel: channel.toString(), pattern: pattern.toString(), data }),
    );
    // ioredis reconnects and resubscribes by itself (after a failover too); errors are reported there.
    sub.on('error', () => undefined);
    this.subscriber = sub;
    return sub;
  }

  private async listen(kind: 'c' | 's' | 'p', name: string, handler: (message: RawMessage) => void): Promise<Subscription> {
    const sub = this.connection();
    const key = `${kind}:${name}`;
    let set = this.handlers.get(key);
    const first = set === undefined;
    if (!set) {
      set = new Set();
      this.handlers.set(key, set);
    }
    set.add(handler);
    try {
      if (first)
        await this.serial(key, () =>
          kind === 'c' ? sub.subscribe(name) : kind === 'p' ? sub.psubscribe(name) : (sub as Cluster).ssubscribe(name),
        );
      else await this.changes.get(key);
    } catch (error) {
      // A refused subscription leaves nothing behind, so the next attempt subscribes again.
      set.delete(handler);
      if (set.size === 0 && this.handlers.get(key) === set) this.handlers.delete(key);
      throw toSwarmdeckError(error, `subscribing to ${name}`);
    }
    let open = true;
    return {
      close: async () => {
        if (!open) return;
        open = false;
        const current = this.handlers.get(key);
        current?.delete(handler);
        if (current && current.size === 0 && this.subscriber === sub) {
          this.handlers.delete(key);
          if (key === `${this.cluster ? 's' : 'c'}:${this.replyChannel}`) this.reply = undefined;
          await this.serial(key, () =>
            kind === 'c' ? sub.unsubscribe(name) : kind === 'p' ? sub.punsubscribe(name) : (sub as Cluster).sunsubscribe(name),
          );
        }
      },
    };
  }

  private serial(key: string, run: () => Promise<unknown>): Promise<unknown> {
    const next = (this.changes.get(key) ?? Promise.resolve()).catch(() => undefined).then(run);
    this.changes.set(key, next);
    void next
      .finally(() => {
        if (this.changes.get(key) === next) this.changes.delete(key);
      })
      .catch(() => undefined);
    return next;
  }
}
