import { SwarmdeckError } from '../../../shared/errors';
import type { ConflictStrategy, MemorySpace } from '../../../shared/model/memory';
import type { AgentMemory, PutOptions, RemoteVersion } from './agent-memory';

export interface MemorySyncOptions {
  /** The agent this cache belongs to: it writes as this id. */
  agent: string;
  /** The namespace it caches (the agent's own or a shared one). */
  space: MemorySpace;
  strategy: ConflictStrategy;
  /** agent-priority: the higher number wins; agents not listed count 0. */
  priorities?: Record<string, number>;
  /** The time a local change is stamped with (tests pass their own). */
  now?: () => number;
}

interface Cached {
  /** The value as last read from or written to Redis (the common ancestor for a merge). */
  base: unknown;
  baseVersion: number;
  value: unknown;
  dirty: boolean;
  changedAt: number;
  options: Omit<PutOptions, 'expectVersion' | 'by' | 'at'>;
}

export interface SyncReport {
  /** Keys whose local value is now in Redis (as written, or merged). */
  written: string[];
  merged: string[];
  /** Keys where Redis's value won and replaced the local one. */
  tookRemote: string[];
  /** Keys kept in Redis as manual conflicts for an operator. */
  keptConflicts: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Three-way merge of JSON objects: what this agent changed since its base is applied onto
 * Redis's value, so a field another agent changed meanwhile is kept unless this one changed it
 * too (then this agent's wins, field by field). Not objects: undefined (no merge possible).
 */
export function mergeValues(base: unknown, local: unknown, remote: unknown): unknown {
  if (!isObject(local) || !isObject(remote)) return undefined;
  const b = isObject(base) ? base : {};
  const out: Record<string, unknown> = { ...remote };
  for (const k of new Set([...Object.keys(b), ...Object.keys(local)])) {
    if (!(k in local)) {
      if (same(b[k], remote[k])) delete out[k];
      continue;
    }
    if (same(local[k], b[k])) continue;
    out[k] = isObject(local[k]) && isObject(remote[k]) ? (mergeValues(b[k], local[k], remote[k]) ?? local[k]) : local[k];
  }
  return out;
}

/** Attempts per key before a sync gives up on a key that keeps moving under it. */
const MAX_ATTEMPTS = 5;

/**
 * A local cache of one namespace on the agent's side, synchronised with Redis: reads are local,
 * writes are local until `sync()` pushes them with compare-and-set against the version read, and
 * a write that meets a newer version is settled by the strategy — the newer change wins
 * (latest-wins), objects are merged (merge), the higher-priority agent wins (agent-priority), or
 * the conflict is kept in Redis for an operator and the cache takes Redis's value (manual).
 */
export class MemorySync {
  private readonly cache = new Map<string, Cached>();
  private readonly now: () => number;

  constructor(
    private readonly memory: AgentMemory,
    private readonly options: MemorySyncOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The local value (undefined when not cached: call `pull` first). */
  get(key: string): unknown {
    return this.cache.get(key)?.value;
  }

  /** Reads a key from Redis into the cache, dropping a local change not yet synced. */
  async pull(key: string): Promise<unknown> {
    const entry = await this.memory.get(this.options.space, key);
    const value: unknown = entry ? JSON.parse(entry.value) : undefined;
    this.cache.set(key, {
      base: value,
      baseVersion: entry?.version ?? 0,
      value,
      dirty: false,
      changedAt: entry?.updatedAt ?? 0,
      options: { tags: entry?.tags },
    });
    return value;
  }

  /** Changes the local value; Redis sees it at the next `sync()`. */
  set(key: string, value: unknown, options: Omit<PutOptions, 'expectVersion' | 'by' | 'at'> = {}): void {
    if (value === undefined)
      throw new SwarmdeckError('VALIDATION', 'value: undefined is not JSON', {
        fields: [{ path: 'value', message: 'undefined is not JSON' }],
      });
    const cached = this.cache.get(key);
    this.cache.set(key, {
      base: cached?.base,
      baseVersion: cached?.baseVersion ?? 0,
      value,
      dirty: true,
      changedAt: this.now(),
      options: { ...cached?.options, ...options },
    });
  }

  async sync(): Promise<SyncReport> {
    const report: SyncReport = { written: [], merged: [], tookRemote: [], keptConflicts: [] };
    for (const [key, c] of this.cache) if (c.dirty) await this.push(key, c, report);
    return report;
  }

  private async push(key: string, c: Cached, report: SyncReport): Promise<void> {
    const { space, agent } = this.options;
    let value = c.value;
    let merged = false;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const r = await this.memory.put(space, key, JSON.stringify(value), {
        ...c.options,
        expectVersion: c.baseVersion,
        by: agent,
        at: c.changedAt,
      });
      if (r.ok) {
        this.cache.set(key, { ...c, base: value, baseVersion: r.version, value, dirty: false });
        (merged ? report.merged : report.written).push(key);
        return;
      }
      const remote = r.remote;
      const decision = this.decide(c, value, remote);
      if (decision === 'remote') {
        this.takeRemote(key, c, remote);
        report.tookRemote.push(key);
        return;
      }
      if (decision === 'manual') {
        const kept = await this.memory.keepConflict(space, key, {
          value: JSON.stringify(value),
          baseVersion: c.baseVersion,
          by: agent,
          at: c.changedAt,
        });
        if (kept === 'retry') continue;
        this.takeRemote(key, c, remote);
        report.keptConflicts.push(key);
        return;
      }
      if (decision !== 'local') {
        value = decision.merged;
        merged = true;
      }
      // Write again against the version just seen: the local (or merged) value is the winner.
      c = { ...c, base: remote.value === '' ? undefined : (JSON.parse(remote.value) as unknown), baseVersion: remote.version };
    }
    throw new SwarmdeckError('CONFLICT', `${key} kept changing while syncing (${MAX_ATTEMPTS} attempts): not written`, { key });
  }

  private decide(c: Cached, local: unknown, remote: RemoteVersion): 'local' | 'remote' | 'manual' | { merged: unknown } {
    // Deleted in Redis meanwhile: nothing to lose by writing, whatever the strategy.
    if (remote.version === 0) return 'local';
    const latest = (): 'local' | 'remote' => (c.changedAt >= remote.updatedAt ? 'local' : 'remote');
    switch (this.options.strategy) {
      case 'latest-wins':
        return latest();
      case 'merge': {
        const m = mergeValues(c.base, local, JSON.parse(remote.value) as unknown);
        return m === undefined ? latest() : { merged: m };
      }
      case 'agent-priority': {
        const p = this.options.priorities ?? {};
        const mine = p[this.options.agent] ?? 0;
        const theirs = p[remote.updatedBy] ?? 0;
        return mine === theirs ? latest() : mine > theirs ? 'local' : 'remote';
      }
      case 'manual':
        return 'manual';
    }
  }

  private takeRemote(key: string, c: Cached, remote: RemoteVersion): void {
    const value: unknown = JSON.parse(remote.value);
    this.cache.set(key, {
      base: value,
      baseVersion: remote.version,
      value,
      dirty: false,
      changedAt: remote.updatedAt,
      options: { ...c.options, tags: remote.tags },
    });
  }
}
