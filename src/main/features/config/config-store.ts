import { SwarmdeckError } from '../../../shared/errors';
import {
  CONFIG_SCHEMAS,
  CONFIG_SCOPES,
  configDefaults,
  type ConfigEntry,
  type ConfigScope,
  type ConfigValue,
  type ConfigVersion,
} from '../../../shared/model/config';
import type { RedisClient } from '../../redis/client-options';
import { configChannel, configKeys } from '../../redis/keyspace';
import { runApplied, runScript, scriptArgs, scriptError, withScripts } from '../../redis/script-registry';
import { LUA } from './lua/sources.generated';
import { tailStream, type TailOptions } from '../../redis/stream-entries';

const SOURCES = { sdCfgSet: LUA.set, sdCfgRollback: LUA.rollback };

/** Versions kept per scope: rollback reaches any of them. */
const KEEP = 100;
const EVENTS_MAX_LEN = 1000;

export interface ConfigEvent {
  id: string;
  scope: ConfigScope;
  version: number;
  previous: number;
  by: string;
  origin: string;
  at: number;
}

function checkScope(scope: string): asserts scope is ConfigScope {
  if (!(CONFIG_SCOPES as readonly string[]).includes(scope)) {
    throw new SwarmdeckError('VALIDATION', `scope: unknown scope "${scope}" (one of ${CONFIG_SCOPES.join(', ')})`, {
      fields: [{ path: 'scope', message: `one of ${CONFIG_SCOPES.join(', ')}` }],
    });
  }
}

/** The document validated against its scope's schema, defaults filled in; VALIDATION names every bad field and why. */
export function validateConfig(scope: ConfigScope, value: unknown): ConfigValue {
  const parsed = CONFIG_SCHEMAS[scope].safeParse(value);
  if (parsed.success) return parsed.data as ConfigValue;
  const fields = parsed.error.issues.map((i) => ({ path: ['value', ...i.path.map(String)].join('.'), message: i.message }));
  throw new SwarmdeckError('VALIDATION', `${scope} configuration refused: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`, {
    fields,
  });
}

const parseValue = (scope: ConfigScope, raw: string): ConfigValue => {
  try {
    return JSON.parse(raw) as ConfigValue;
  } catch {
    throw new SwarmdeckError('CORRUPT_FILE', `the stored ${scope} configuration is not JSON`, { scope });
  }
};

/**
 * Configuration of one environment (one Redis), per scope: every change validated, kept as a
 * version (history in Redis, rollback to any kept one), and announced to watchers — an entry in
 * the change stream and a pub/sub wake-up, in the same script as the write.
 */
export class ConfigStore {
  private readonly client: RedisClient & Record<keyof typeof SOURCES, (...args: (string | number)[]) => Promise<unknown>>;

  constructor(
    client: RedisClient,
    private readonly prefix = 'sd',
  ) {
    this.client = withScripts(client, SOURCES);
  }

  async get(scope: ConfigScope): Promise<ConfigEntry> {
    checkScope(scope);
    const [value, version, at, by] = await this.client.hmget(configKeys(this.prefix, scope).current, 'value', 'version', 'at', 'by');
    if (version === null || version === undefined || value === null || value === undefined)
      return { scope, value: configDefaults(scope), version: 0, at: 0, by: '' };
    return { scope, value: parseValue(scope, value), version: Number(version), at: Number(at), by: by ?? '' };
  }

  async history(scope: ConfigScope, count = KEEP): Promise<ConfigVersion[]> {
    checkScope(scope);
    const raw = await this.client.lrange(configKeys(this.prefix, scope).history, 0, Math.max(0, count - 1));
    return raw.map((line) => {
      const v = JSON.parse(line) as {
        version: number;
        value: string;
        at: number;
        by: string;
        origin: ConfigVersion['origin'];
        reason: string;
      };
      return { scope, value: parseValue(scope, v.value), version: v.version, at: v.at, by: v.by, origin: v.origin, reason: v.reason };
    });
  }

  /** Validates, then writes the next version (CONFLICT when `expectVersion` is stale, nothing written). */
  async set(
    scope: ConfigScope,
    value: unknown,
    options: { expectVersion?: number; by?: string; reason?: string; origin?: 'set' | 'promote' } = {},
  ): Promise<ConfigEntry> {
    checkScope(scope);
    const valid = validateConfig(scope, value);
    const k = configKeys(this.prefix, scope);
    const at = Date.now();
    const by = options.by ?? '';
    const outcome = await runScript(
      this.client.sdCfgSet(
        ...scriptArgs(
          [k.current, k.history, k.events],
          [
            scope,
            JSON.stringify(valid),
            options.expectVersion ?? '',
            by,
            options.origin ?? 'set',
            options.reason ?? '',
            KEEP,
            EVENTS_MAX_LEN,
            at,
            configChannel(this.prefix),
          ],
        ),
      ),
    );
    if (!outcome.applied) {
      const current = Number(outcome.detail[0]);
      throw new SwarmdeckError('CONFLICT', `${scope} is at version ${current}, not ${options.expectVersion}: reload it before saving`, {
        scope,
        expected: options.expectVersion,
        version: current,
      });
    }
    return { scope, value: valid, version: Number(outcome.reply), at, by };
  }

  async rollback(scope: ConfigScope, version: number, options: { by?: string; reason?: string } = {}): Promise<ConfigEntry> {
    checkScope(scope);
    if (!Number.isSafeInteger(version) || version < 1)
      throw new SwarmdeckError('VALIDATION', 'version: must be a whole number ≥ 1', {
        fields: [{ path: 'version', message: 'must be a whole number ≥ 1' }],
      });
    // A kept version is written back only if it still passes today's schema: a document edited
    // by hand in Redis, or valid under an older schema, must not become current unchecked.
    const kept = (await this.history(scope)).find((v) => v.version === version);
    if (kept) validateConfig(scope, kept.value);
    const k = configKeys(this.prefix, scope);
    const at = Date.now();
    const [next, value] = (await runApplied(
      this.client.sdCfgRollback(
        ...scriptArgs(
          [k.current, k.history, k.events],
          [scope, version, options.by ?? '', options.reason ?? '', KEEP, EVENTS_MAX_LEN, at, configChannel(this.prefix)],
        ),
      ),
    )) as [number, string];
    return { scope, value: parseValue(scope, value), version: Number(next), at, by: options.by ?? '' };
  }

  /**
   * Every change after `from` (a stream id; default: from now on) until `signal` aborts: a
   * blocking XREAD on its own connection, so changes made while nobody listened are not lost.
   */
  async *watch(options: TailOptions = {}): AsyncGenerator<ConfigEvent> {
    for await (const { id, fields: f } of tailStream(this.client, configKeys(this.prefix, 'global').events, options, scriptError)) {
      yield {
        id,
        scope: f.scope as ConfigScope,
        version: Number(f.version),
        previous: Number(f.previous),
        by: f.by ?? '',
        origin: f.origin ?? '',
        at: Number(f.at),
      };
    }
  }
}
