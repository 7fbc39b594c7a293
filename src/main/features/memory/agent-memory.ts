import {
  MEMORY_MAX_VALUE_BYTES,
  MemoryKeySchema,
  MemoryNameSchema,
  MemoryTagSchema,
  type MemoryPage,
} from '../../../shared/contract/memory';
import { SwarmdeckError } from '../../../shared/errors';
import type { MemoryConflict, MemoryEntry, MemorySpace, MemorySpaceSummary } from '../../../shared/model/memory';
import type { RedisClient } from '../../redis/client-options';
import { memoryKeys, memoryRegistryKey, memorySpaceId, parseMemorySpaceId, type MemoryKeys } from '../../redis/keyspace';
import { runApplied, runScript, scriptArgs, scriptError, withScripts } from '../../redis/script-registry';
import { LUA } from './lua/sources.generated';

const SOURCES = { sdMemPut: LUA.put, sdMemDelete: LUA.delete, sdMemKeepConflict: LUA['keep-conflict'], sdMemResolve: LUA.resolve };

export interface PutOptions {
  tags?: string[];
  ttlMs?: number;
  /** Compare-and-set: the version the writer read (0: the entry must not exist). */
  expectVersion?: number;
  /** The agent (or operator) writing. */
  by?: string;
  /**
   * When the change was made (ms), if not now: a cache that syncs later stamps its change with
   * the time it was made, so latest-wins compares changes, not the moments they reached Redis.
   */
  at?: number;
}

/** What Redis held when a compare-and-set write was refused. */
export interface RemoteVersion {
  version: number;
  value: string;
  updatedBy: string;
  updatedAt: number;
  tags: string[];
}

export type PutResult = { ok: true; version: number } | { ok: false; remote: RemoteVersion };

export interface SearchOptions {
  prefix?: string;
  tag?: string;
  text?: string;
  cursor?: string;
  count?: number;
}

function invalid(path: string, message: string): SwarmdeckError {
  return new SwarmdeckError('VALIDATION', `${path}: ${message}`, { fields: [{ path, message }] });
}

function check(schema: { safeParse(v: unknown): { success: boolean } }, path: string, value: unknown, what: string): void {
  if (!schema.safeParse(value).success) throw invalid(path, `malformed ${what} "${String(value)}"`);
}

function checkSpace(space: MemorySpace): void {
  if (space.agent !== undefined) check(MemoryNameSchema, 'agent', space.agent, 'agent id');
  check(MemoryNameSchema, 'namespace', space.namespace, 'namespace');
}

/** Memory values are JSON so that the merge strategy can combine objects. */
function checkValue(value: string, path = 'value'): void {
  if (typeof value !== 'string') throw invalid(path, 'must be JSON text');
  if (Buffer.byteLength(value) > MEMORY_MAX_VALUE_BYTES) throw invalid(path, `larger than ${MEMORY_MAX_VALUE_BYTES} bytes`);
  try {
    JSON.parse(value);
  } catch {
    throw invalid(path, 'is not JSON');
  }
}

const parseTags = (raw: string | null | undefined): string[] => {
  try {
    const v: unknown = JSON.parse(raw ?? '[]');
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
};

/** Lex range end: every member that starts with `start`. */
const LEX_MAX_SUFFIX = '\xff';
const DEFAULT_PAGE = 50;
/** Index members looked at per page when filtering by text, so one call stays bounded. */
const TEXT_SCAN_BUDGET = 2000;

/**
 * Agent memory in Redis: entries in namespaces (an agent's own or shared), each write the next
 * version of its namespace (compare-and-set, one script), with tags and TTL, searched through the
 * namespace's own lex indexes with a cursor — never KEYS, never a whole-set read.
 */
export class AgentMemory {
  private readonly client: RedisClient & Record<keyof typeof SOURCES, (...args: (string | number)[]) => Promise<unknown>>;

  constructor(
    client: RedisClient,
    private readonly prefix = 'sd',
  ) {
    this.client = withScripts(client, SOURCES);
  }

  private keys(space: MemorySpace): MemoryKeys {
    checkSpace(space);
    return memoryKeys(this.prefix, space.agent, space.namespace);
  }

  async get(space: MemorySpace, key: string): Promise<MemoryEntry | undefined> {
    check(MemoryKeySchema, 'key', key, 'memory key');
    const k = this.keys(space);
    const replies =
      (await this.client.pipeline().hmget(k.entry(key), 'value', 'version', 'updatedBy', 'updatedAt', 'tags').pttl(k.entry(key)).exec()) ??
      [];
    const [e1, fields] = replies[0] ?? [new Error('no reply'), []];
    const pttl = replies[1]?.[1];
    if (e1) throw scriptError(e1);
    const [value, version, updatedBy, updatedAt, tags] = fields as (string | null)[];
    if (version === null || version === undefined) return undefined;
    const ttl = Number(pttl);
    return {
      ...spaceOf(space),
      key,
      value: value ?? '',
      version: Number(version),
      updatedBy: updatedBy ?? '',
      updatedAt: Number(updatedAt),
      tags: parseTags(tags),
      ...(ttl >= 0 ? { ttlMs: ttl } : {}),
    };
  }

  /** Writes the next version; with `expectVersion`, only if it is still current (else the remote version, nothing written). */
  async put(space: MemorySpace, key: string, value: string, options: PutOptions = {}): Promise<PutResult> {
    check(MemoryKeySchema, 'key', key, 'memory key');
    checkValue(value);
    const tags = [...new Set(options.tags ?? [])];
    if (tags.length > 32) throw invalid('tags', 'at most 32 tags');
    tags.forEach((t, i) => check(MemoryTagSchema, `tags.${i}`, t, 'tag'));
    const { expectVersion, ttlMs } = options;
    if (expectVersion !== undefined && (!Number.isSafeInteger(expectVersion) || expectVersion < 0))
      throw invalid('expectVersion', 'must be a whole number ≥ 0');
    if (ttlMs !== undefined && (!Number.isSafeInteger(ttlMs) || ttlMs < 1)) throw invalid('ttlMs', 'must be a whole number of ms ≥ 1');
    const by = options.by ?? space.agent ?? '';
    const at = options.at ?? Date.now();
    if (!Number.isSafeInteger(at) || at < 0) throw invalid('at', 'must be a time in ms since the epoch');
    if (by !== '') check(MemoryNameSchema, 'by', by, 'writer id');
    const k = this.keys(space);
    const outcome = await runScript(
      this.client.sdMemPut(
        ...scriptArgs([k.entry(key), k.seq, k.index, k.tags], [key, value, JSON.stringify(tags), ttlMs ?? '', expectVersion ?? '', by, at]),
      ),
    );
    if (outcome.applied) {
      // The registry lives outside the namespace's slot: it only lets the console list namespaces, so it is added after.
      await this.client.sadd(memoryRegistryKey(this.prefix), memorySpaceId(space.agent, space.namespace));
      return { ok: true, version: Number(outcome.reply) };
    }
    const [remoteVersion, remoteValue, updatedBy, updatedAt, remoteTags] = outcome.detail;
    return {
      ok: false,
      remote: {
        version: Number(remoteVersion),
        value: String(remoteValue),
        updatedBy: String(updatedBy),
        updatedAt: Number(updatedAt),
        tags: parseTags(String(remoteTags)),
      },
    };
  }

  /** Like `put`, but a refused compare-and-set is a CONFLICT error carrying the remote version. */
  async set(space: MemorySpace, key: string, value: string, options: PutOptions = {}): Promise<{ version: number }> {
    const r = await this.put(space, key, value, options);
    if (r.ok) return { version: r.version };
    throw new SwarmdeckError('CONFLICT', `${key} is at version ${r.remote.version}, not ${options.expectVersion}: not written`, {
      key,
      expected: options.expectVersion,
      ...r.remote,
    });
  }

  async delete(space: MemorySpace, key: string, expectVersion?: number): Promise<{ deleted: boolean }> {
    check(MemoryKeySchema, 'key', key, 'memory key');
    const k = this.keys(space);
    const n = await runApplied(this.client.sdMemDelete(...scriptArgs([k.entry(key), k.index, k.tags], [key, expectVersion ?? ''])));
    return { deleted: Number(n) === 1 };
  }

  /**
   * One page by key prefix (the key index) or by tag (the tag index), filtered by text in the
   * value. The cursor is the last index member returned; members whose entry expired are pruned.
   */
  async search(space: MemorySpace, options: SearchOptions = {}): Promise<MemoryPage> {
    const k = this.keys(space);
    const count = options.count ?? DEFAULT_PAGE;
    if (!Number.isSafeInteger(count) || count < 1 || count > 500) throw invalid('count', 'must be 1 to 500');
    if (options.tag !== undefined) check(MemoryTagSchema, 'tag', options.tag, 'tag');
    if (options.prefix !== undefined && !/^[A-Za-z0-9_.:/-]{0,200}$/.test(options.prefix))
      throw invalid('prefix', `malformed key prefix "${options.prefix}"`);
    const index = options.tag === undefined ? k.index : k.tags;
    const head = options.tag === undefined ? (options.prefix ?? '') : `${options.tag}|${options.prefix ?? ''}`;
    const cursor = options.cursor ?? '';
    if (cursor !== '' && !cursor.startsWith(head)) throw invalid('cursor', 'does not belong to this search');
    const entries: MemoryEntry[] = [];
    let from = cursor === '' ? (head === '' ? '-' : `[${head}`) : `(${cursor}`;
    const to = head === '' ? '+' : `[${head}${LEX_MAX_SUFFIX}`;
    let looked = 0;
    let last = '';
    const budget = options.text === undefined ? count : Math.max(count, TEXT_SCAN_BUDGET);
    while (entries.length < count && looked < budget) {
      const page = await this.client.zrangebylex(
        index,
        from,
        to,
        'LIMIT',
        0,
        Math.min(count - entries.length + (options.text ? 100 : 0), 500),
      );
      if (page.length === 0) return { entries, cursor: '' };
      for (const member of page) {
        looked += 1;
        last = member;
        const key = options.tag === undefined ? member : member.slice(options.tag.length + 1);
        const entry = await this.get(space, key);
        if (!entry) {
          await this.client.zrem(index, member);
          continue;
        }
        if (options.tag !== undefined && !entry.tags.includes(options.tag)) {
          await this.client.zrem(index, member);
          continue;
        }
        if (options.text !== undefined && !entry.value.includes(options.text)) continue;
        entries.push(entry);
        if (entries.length >= count) break;
      }
      from = `(${last}`;
    }
    // Whether anything follows is only known by looking: one member past the last.
    const more = await this.client.zrangebylex(index, `(${last}`, to, 'LIMIT', 0, 1);
    return { entries, cursor: more.length > 0 ? last : '' };
  }

  async conflicts(space: MemorySpace): Promise<MemoryConflict[]> {
    const k = this.keys(space);
    const found: MemoryConflict[] = [];
    let cursor = '0';
    do {
      const [next, flat] = await this.client.hscan(k.conflicts, cursor, 'COUNT', 200);
      cursor = next;
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const c = JSON.parse(flat[i + 1] as string) as Omit<MemoryConflict, 'key' | 'agent' | 'namespace'>;
        found.push({ ...spaceOf(space), key: flat[i] as string, local: c.local, remote: c.remote, detectedAt: c.detectedAt });
      }
    } while (cursor !== '0');
    return found.sort((a, b) => a.key.localeCompare(b.key));
  }

  /** Keeps a refused write for an operator; 'retry' when the entry is back at the version the writer read. */
  async keepConflict(
    space: MemorySpace,
    key: string,
    local: { value: string; baseVersion: number; by: string; at: number },
  ): Promise<'kept' | 'retry'> {
    const k = this.keys(space);
    const outcome = await runScript(
      this.client.sdMemKeepConflict(
        ...scriptArgs([k.entry(key), k.conflicts], [key, local.value, local.baseVersion, local.by, local.at, Date.now()]),
      ),
    );
    return outcome.applied ? 'kept' : 'retry';
  }

  async resolve(
    space: MemorySpace,
    key: string,
    choice: 'local' | 'remote' | 'value',
    value: string | undefined,
    by: string,
  ): Promise<{ version: number }> {
    check(MemoryKeySchema, 'key', key, 'memory key');
    if (choice === 'value') {
      if (value === undefined) throw invalid('value', 'required when choosing your own value');
      checkValue(value);
    } else if (value !== undefined) throw invalid('value', `only with choice "value", not "${choice}"`);
    const k = this.keys(space);
    const version = await runApplied(
      this.client.sdMemResolve(...scriptArgs([k.entry(key), k.seq, k.index, k.conflicts], [key, choice, value ?? '', by, Date.now()])),
    );
    return { version: Number(version) };
  }

  /** Every namespace ever written (SSCAN of the registry) with its count of kept conflicts. */
  async spaces(): Promise<MemorySpaceSummary[]> {
    const ids: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.client.sscan(memoryRegistryKey(this.prefix), cursor, 'COUNT', 500);
      cursor = next;
      ids.push(...batch);
    } while (cursor !== '0');
    const spaces = ids.map(parseMemorySpaceId).filter((s): s is MemorySpace => s !== undefined);
    const counts = await Promise.all(spaces.map((s) => this.client.hlen(memoryKeys(this.prefix, s.agent, s.namespace).conflicts)));
    return spaces
      .map((s, i) => ({ ...spaceOf(s), conflicts: counts[i] ?? 0 }))
      .sort((a, b) => (a.agent ?? '').localeCompare(b.agent ?? '') || a.namespace.localeCompare(b.namespace));
  }
}

const spaceOf = (space: MemorySpace): MemorySpace =>
  space.agent === undefined ? { namespace: space.namespace } : { agent: space.agent, namespace: space.namespace };
