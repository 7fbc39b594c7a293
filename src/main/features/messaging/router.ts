import { RouteSchema, RouteNameSchema, type Route, type RouteFilters } from '../../../shared/contract/messaging';
import { systemClock, type Clock } from '../../../shared/clock';
import { SwarmdeckError } from '../../../shared/errors';
import type { RedisClient } from '../../redis/client-options';
import { messageChannel, messageRateKey, messageStreamKey, messagingKeys } from '../../redis/keyspace';
import { runApplied, scriptArgs, scriptError, withScripts, type ScriptFn } from '../../redis/script-registry';
import { TaskQueue } from '../queues/task-queue';
import { decodeEnvelope, type Envelope } from './envelope';
import type { Messaging, Subscription } from './messaging';
import { LUA } from './lua/sources.generated';

const SOURCES = { sdMsgRate: LUA.rate, sdMsgRouteSet: LUA['route-set'] };
/** Every process loads every route: the set stays small. */
export const MAX_ROUTES = 1000;
/** A process that missed a wake-up (a reconnect) re-reads the version at most this often. */
const VERSION_CHECK_MS = 1000;
const STREAM_MAX_LEN = 10_000;

/**
 * `*` matches any run of characters, everything else itself. Walks the pieces between the
 * stars in order instead of building a regular expression from an operator's text.
 */
export function matchesType(match: string, type: string): boolean {
  const pieces = match.split('*');
  if (pieces.length === 1) return match === type;
  const first = pieces[0] as string;
  const last = pieces.at(-1) as string;
  if (!type.startsWith(first) || type.length < first.length + last.length || !type.endsWith(last)) return false;
  let at = first.length;
  const end = type.length - last.length;
  for (const piece of pieces.slice(1, -1)) {
    const found = type.indexOf(piece, at);
    if (found < 0 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}

/** The value at a dotted path of a JSON payload (own properties only). */
export function fieldAt(payload: unknown, path: string): unknown {
  let value: unknown = payload;
  for (const name of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, name)) return undefined;
    value = (value as Record<string, unknown>)[name];
  }
  return value;
}

export function passesContent(field: NonNullable<RouteFilters['field']>, payload: unknown): boolean {
  const value = fieldAt(payload, field.path);
  if (field.equals !== undefined) return value === field.equals;
  return typeof value === 'string' && value.includes(field.contains as string);
}

export interface RouteOutcome {
  route: string;
  delivered: boolean;
  /** Why it was not delivered. */
  filtered?: 'size' | 'content' | 'rate';
}

export interface RouterOptions {
  prefix?: string;
  /** Where the rate limit reads the time (tests move it to window boundaries). */
  clock?: Clock;
}

/**
 * Routes messages by type to a pub/sub channel, a task queue or a stream, after each route's
 * filters. Routes live in Redis with a version counter; a change publishes a wake-up that
 * every started router reloads on, so a route set in one process applies in all of them.
 */
export class MessageRouter {
  private readonly client: RedisClient & Record<keyof typeof SOURCES, ScriptFn>;
  private readonly prefix: string;
  private readonly clock: Clock;
  private cache: { version: number; routes: Route[]; checkedAt: number } = { version: -1, routes: [], checkedAt: 0 };
  private loading?: Promise<void>;
  private again = false;
  private readonly subscriptions: Subscription[] = [];
  private readonly changeListeners = new Set<(version: number) => void>();

  constructor(
    client: RedisClient,
    private readonly messaging: Messaging,
    options: RouterOptions = {},
  ) {
    this.client = withScripts(client, SOURCES);
    this.prefix = options.prefix ?? 'sd';
    this.clock = options.clock ?? systemClock;
  }

  /** The routes' version this process routes with (-1 before the first load). */
  get version(): number {
    return this.cache.version;
  }

  /** Called with the new version after every reload that changed it. */
  onChange(listener: (version: number) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Listens for route changes from every process, and loads the routes. */
  async start(): Promise<void> {
    this.subscriptions.push(
      await this.messaging.subscribeGlobalRaw(messagingKeys(this.prefix).routesWake, () => void this.reload().catch(() => undefined)),
    );
    await this.reload();
  }

  /**
   * Routes every message arriving on a channel (or, with `pattern`, on matching channels).
   * Delivery failures go to `onError`; a message that cannot be opened is not routed.
   */
  async attach(source: { channel: string } | { pattern: string }, onError?: (error: SwarmdeckError) => void): Promise<void> {
    const handle = (message: { data: Buffer }): void => {
      void this.route(message.data).catch((error: unknown) =>
        onError?.(error instanceof SwarmdeckError ? error : new SwarmdeckError('INTERNAL', String(error))),
      );
    };
    this.subscriptions.push(
      'channel' in source
        ? await this.messaging.subscribeRaw(source.channel, handle)
        : await this.messaging.psubscribeRaw(source.pattern, handle),
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.subscriptions.splice(0).map((s) => s.close()));
  }

  async list(): Promise<{ version: number; routes: Route[] }> {
    const k = messagingKeys(this.prefix);
    const [version, raw] = await Promise.all([this.client.get(k.routesVersion), this.client.hgetall(k.routes)]);
    const routes: Route[] = [];
    for (const json of Object.values(raw)) {
      const parsed = RouteSchema.safeParse(safeJson(json));
      if (parsed.success) routes.push(parsed.data);
    }
    return { version: Number(version ?? 0), routes: routes.sort((a, b) => a.name.localeCompare(b.name)) };
  }

  async set(route: Route): Promise<{ version: number }> {
    const parsed = RouteSchema.safeParse(route);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => ({ path: ['route', ...i.path].join('.'), message: i.message }));
      throw new SwarmdeckError('VALIDATION', `Bad route: ${fields[0]?.path}: ${fields[0]?.message}`, { fields });
    }
    const [version] = await this.write(parsed.data.name, JSON.stringify(parsed.data));
    return { version };
  }

  async delete(name: string): Promise<{ version: number; deleted: boolean }> {
    if (!RouteNameSchema.safeParse(name).success)
      throw new SwarmdeckError('VALIDATION', `"${name}" is not a route name`, {
        fields: [{ path: 'name', message: 'Malformed route name' }],
      });
    const [version, changed] = await this.write(name, '');
    return { version, deleted: changed === 1 };
  }

  /** Sends one message (an envelope's bytes) along every route its type matches. */
  async route(wire: Buffer): Promise<RouteOutcome[]> {
    const envelope = decodeEnvelope(wire, this.messaging.keyring);
    const routes = await this.current();
    const outcomes: RouteOutcome[] = [];
    for (const route of routes) {
      if (!matchesType(route.match, envelope.type)) continue;
      const filtered = await this.filter(route, envelope, wire.length);
      if (filtered) {
        outcomes.push({ route: route.name, delivered: false, filtered });
        continue;
      }
      await this.deliver(route, envelope, wire);
      outcomes.push({ route: route.name, delivered: true });
    }
    return outcomes;
  }

  private async filter(route: Route, envelope: Envelope, size: number): Promise<RouteOutcome['filtered']> {
    const f = route.filters;
    if (!f) return undefined;
    if (f.maxBytes !== undefined && size > f.maxBytes) return 'size';
    if (f.field && !passesContent(f.field, envelope.payload)) return 'content';
    if (f.rate) {
      let reply: unknown[];
      try {
        reply = (await this.client.sdMsgRate(
          ...scriptArgs([messageRateKey(this.prefix, route.name, envelope.publisher)], [this.clock.now(), f.rate.windowMs, f.rate.limit]),
        )) as unknown[];
      } catch (error) {
        throw scriptError(error);
      }
      if (Number(reply[0]) !== 1) return 'rate';
    }
    return undefined;
  }

  private async deliver(route: Route, envelope: Envelope, wire: Buffer): Promise<void> {
    const t = route.target;
    if (t.kind === 'pubsub') {
      await this.messaging.publishRaw(messageChannel(this.prefix, t.channel), wire);
    } else if (t.kind === 'queue') {
      // The envelope travels sealed as it came: a worker opens it with its own keyring.
      await new TaskQueue(this.client, t.queue, { prefix: this.prefix }).enqueue({
        data: {
          id: envelope.id,
          type: envelope.type,
          publisher: envelope.publisher,
          time: envelope.time,
          route: route.name,
          message: wire.toString('base64'),
        },
      });
    } else {
      await this.client.xadd(
        messageStreamKey(this.prefix, t.stream),
        'MAXLEN',
        '~',
        STREAM_MAX_LEN,
        '*',
        'id',
        envelope.id,
        'type',
        envelope.type,
        'publisher',
        envelope.publisher,
        'route',
        route.name,
        'message',
        wire,
      );
    }
  }

  private async write(name: string, json: string): Promise<[number, number]> {
    const k = messagingKeys(this.prefix);
    const reply = (await runApplied(
      this.client.sdMsgRouteSet(...scriptArgs([k.routes, k.routesVersion], [name, json, k.routesWake, MAX_ROUTES])),
    )) as unknown[];
    return [Number(reply[0]), Number(reply[1])];
  }

  private async current(): Promise<Route[]> {
    if (this.clock.now() - this.cache.checkedAt >= VERSION_CHECK_MS || this.cache.version < 0) {
      const version = Number((await this.client.get(messagingKeys(this.prefix).routesVersion)) ?? 0);
      if (version !== this.cache.version) await this.reload();
      else this.cache.checkedAt = this.clock.now();
    }
    return this.cache.routes;
  }

  private reload(): Promise<void> {
    if (this.loading) {
      // The load in flight may have read before this change: it reads once more.
      this.again = true;
      return this.loading;
    }
    this.loading = (async () => {
      do {
        this.again = false;
        const { version, routes } = await this.list();
        const changed = version !== this.cache.version;
        this.cache = { version, routes, checkedAt: this.clock.now() };
        if (changed) for (const listener of this.changeListeners) listener(version);
      } while (this.again);
    })().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
