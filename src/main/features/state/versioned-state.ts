import {
  STATE_MAX_VALUE_BYTES,
  StateKeySchema,
  StateMetaSchema,
  type StateEntry,
  type StateKeySummary,
  type StateVersion,
} from '../../../shared/contract/state';
import { SwarmdeckError } from '../../../shared/errors';
import type { RedisClient } from '../../redis/client-options';
import { stateCurrentPattern, stateKeyOf, stateKeys } from '../../redis/keyspace';
import { nodeHandles } from '../../redis/nodes';
import { runScript, scriptArgs, scriptError, withScripts } from '../../redis/script-registry';
import { LUA } from './lua/sources.generated';
import { tailStream, type TailOptions } from '../../redis/stream-entries';

const SOURCES = { sdStateSet: LUA.set };

export interface SetOptions {
  /** Compare-and-set: the version the caller read (0: the key must not exist). */
  expectVersion?: number;
  ttlMs?: number;
  /** Who wrote it (an agent id), shown in the history. */
  source?: string;
  meta?: Record<string, string>;
}

export interface StateChange {
  /** The stream id: pass it back as `from` to resume after it. */
  id: string;
  key: string;
  version: number;
  previous: number;
  value: string;
  source: string;
  meta: Record<string, string>;
  at: number;
}

export interface VersionedStateOptions {
  /** Versions kept for inspection. Default 20. */
  keep?: number;
  /** Change stream cap (approximate). Default 1,000. */
  eventsMaxLen?: number;
}

function invalid(path: string, message: string): SwarmdeckError {
  return new SwarmdeckError('VALIDATION', `${path}: ${message}`, { fields: [{ path, message }] });
}

function checkKey(key: string): void {
  if (!StateKeySchema.safeParse(key).success)
    throw invalid('key', `malformed state key "${key}" (letters, digits, _ . : / -, at most 128)`);
}

function parseMeta(raw: string | undefined): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(raw ?? '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** The namespace of a key is what comes before its first colon ("" when none). */
export const namespaceOf = (key: string): string => (key.includes(':') ? key.slice(0, key.indexOf(':')) : '');

/**
 * Versioned shared state: every write gets the next version of its key, a writer that read an
 * older version is refused with the current one (compare-and-set, one script), the last
 * versions are kept for inspection, and every change is an entry in the key's capped stream
 * that watchers read from the last id they saw — so nothing is missed while nobody listens.
 */
export class VersionedState {
  private readonly client: RedisClient & Record<keyof typeof SOURCES, (...args: (string | number)[]) => Promise<unknown>>;
  private readonly keep: number;
  private readonly eventsMaxLen: number;

  constructor(
    client: RedisClient,
    private readonly prefix = 'sd',
    options: VersionedStateOptions = {},
  ) {
    this.client = withScripts(client, SOURCES);
    this.keep = options.keep ?? 20;
    this.eventsMaxLen = options.eventsMaxLen ?? 1000;
  }

  async get(key: string): Promise<StateEntry | undefined> {
    checkKey(key);
    const k = stateKeys(this.prefix, key);
    const replies =
      (await this.client.pipeline().hmget(k.current, 'value', 'version', 'source', 'meta', 'at').pttl(k.current).exec()) ?? [];
    const [error, fields] = replies[0] ?? [new Error('no reply')];
    if (error) throw scriptError(error);
    const [value, version, source, meta, at] = fields as (string | null)[];
    if (version === null || version === undefined) return undefined;
    const pttl = Number(replies[1]?.[1] ?? -1);
    return {
      key,
      value: value ?? '',
      version: Number(version),
      source: source ?? '',
      meta: parseMeta(meta ?? undefined),
      at: Number(at),
      ...(pttl >= 0 ? { ttlMs: pttl } : {}),
    };
  }

  /** Writes the next version; with `expectVersion`, only if it is still the current one (else CONFLICT, nothing written). */
  async set(key: string, value: string, options: SetOptions = {}): Promise<{ version: number }> {
    checkKey(key);
    if (typeof value !== 'string') throw invalid('value', 'must be text');
    if (Buffer.byteLength(value) > STATE_MAX_VALUE_BYTES) throw invalid('value', `larger than ${STATE_MAX_VALUE_BYTES} bytes`);
    const { expectVersion, ttlMs } = options;
    if (expectVersion !== undefined && (!Number.isSafeInteger(expectVersion) || expectVersion < 0))
      throw invalid('expectVersion', 'must be a whole number ≥ 0');
    if (ttlMs !== undefined && (!Number.isSafeInteger(ttlMs) || ttlMs < 1)) throw invalid('ttlMs', 'must be a whole number of ms ≥ 1');
    if (options.meta !== undefined && !StateMetaSchema.safeParse(options.meta).success)
      throw invalid('meta', 'at most 32 fields, names [A-Za-z0-9_.-], text values up to 1024 characters');
    const source = options.source ?? '';
    if (source.length > 128) throw invalid('source', 'at most 128 characters');
    const k = stateKeys(this.prefix, key);
    const outcome = await runScript(
      this.client.sdStateSet(
        ...scriptArgs(
          [k.current, k.version, k.history, k.events],
          [value, expectVersion ?? '', ttlMs ?? '', source, JSON.stringify(options.meta ?? {}), this.keep, this.eventsMaxLen, Date.now()],
        ),
      ),
    );
    if (outcome.applied) return { version: Number(outcome.reply) };
    const [version, current, currentSource, meta, at] = outcome.detail;
    const currentVersion = Number(version);
    throw new SwarmdeckError('CONFLICT', `${key} is at version ${currentVersion}, not ${expectVersion}: not written`, {
      key,
      expected: expectVersion,
      version: currentVersion,
      ...(currentVersion > 0
        ? { value: String(current), source: String(currentSource), meta: parseMeta(String(meta)), at: Number(at) }
        : {}),
    });
  }

  /** The versions kept, newest first. */
  async history(key: string, count = this.keep): Promise<StateVersion[]> {
    checkKey(key);
    const raw = await this.client.lrange(stateKeys(this.prefix, key).history, 0, Math.max(0, count - 1));
    return raw.map((line) => {
      const v = JSON.parse(line) as { version: number; value: string; source: string; meta: string; at: number };
      return { version: v.version, value: v.value, source: v.source, meta: parseMeta(v.meta), at: v.at };
    });
  }

  /**
   * Every change of a key after `from` (a stream id; default: only changes from now on), until
   * `signal` aborts. Reads with a blocking XREAD on its own connection so the shared one is
   * never blocked.
   */
  async *watch(key: string, options: TailOptions = {}): AsyncGenerator<StateChange> {
    checkKey(key);
    for await (const { id, fields: f } of tailStream(this.client, stateKeys(this.prefix, key).events, options, scriptError)) {
      yield {
        id,
        key,
        version: Number(f.version),
        previous: Number(f.previous),
        value: f.value ?? '',
        source: f.source ?? '',
        meta: parseMeta(f.meta),
        at: Number(f.at),
      };
    }
  }

  /** Keys found by SCAN over every master, at most `budget` keys looked at in all. */
  async keys(
    options: { namespace?: string; budget?: number } = {},
  ): Promise<{ keys: StateKeySummary[]; complete: boolean; scanned: number }> {
    const budget = options.budget ?? 10_000;
    const nodes = nodeHandles(this.client, 'master');
    const perNode = Math.max(10, Math.floor(budget / nodes.length));
    const pattern = stateCurrentPattern(this.prefix, options.namespace);
    let scanned = 0;
    let complete = true;
    const found: string[] = [];
    for (const node of nodes) {
      let cursor = '0';
      let seen = 0;
      do {
        const [next, batch] = await node.client.scan(cursor, 'MATCH', pattern, 'COUNT', Math.min(1000, perNode));
        cursor = next;
        // SCAN's COUNT is the work done per call; what it costs is the keys it walked, which
        // the reply does not say: count the call's COUNT against the budget.
        seen += Math.min(1000, perNode);
        for (const redisKey of batch) {
          const key = stateKeyOf(this.prefix, redisKey);
          if (key !== undefined) found.push(key);
        }
      } while (cursor !== '0' && seen < perNode);
      scanned += seen;
      if (cursor !== '0') complete = false;
    }
    const summaries = await Promise.all(
      found.map(async (key) => {
        const [version, at, source] = await this.client.hmget(stateKeys(this.prefix, key).current, 'version', 'at', 'source');
        return { key, namespace: namespaceOf(key), version: Number(version ?? 0), at: Number(at ?? 0), source: source ?? '' };
      }),
    );
    return { keys: summaries.filter((s) => s.version > 0).sort((a, b) => a.key.localeCompare(b.key)), complete, scanned };
  }
}
