import { z } from 'zod';

/**
 * The configuration of a swarm deployment, one document per scope, each with its own schema and
 * the defaults of the seed design. Shared so the console validates and completes as main does.
 */
export const CONFIG_SCOPES = ['global', 'swarm', 'agents', 'tasks', 'memory', 'monitoring'] as const;
export type ConfigScope = (typeof CONFIG_SCOPES)[number];

const seconds = (max: number) => z.number().int().min(1).max(max);

export const CONFIG_SCHEMAS = {
  global: z.strictObject({
    environment: z.string().min(1).max(64).default('development'),
    logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    timezone: z.string().min(1).max(64).default('UTC'),
  }),
  swarm: z.strictObject({
    maxAgents: z.number().int().min(1).max(1000).default(20),
    topology: z.enum(['mesh', 'hierarchical', 'ring', 'star']).default('mesh'),
    consensusQuorum: z.number().min(0.5).max(1).default(0.5),
  }),
  agents: z.strictObject({
    heartbeatIntervalSec: seconds(3600).default(30),
    /** Missed beats before an agent is reported lost. */
    missedHeartbeats: z.number().int().min(1).max(100).default(3),
    maxConcurrentTasks: z.number().int().min(1).max(1000).default(5),
  }),
  tasks: z.strictObject({
    timeoutSec: seconds(86_400).default(300),
    maxAttempts: z.number().int().min(1).max(100).default(3),
    backoffSec: seconds(3600).default(5),
  }),
  memory: z.strictObject({
    conflictStrategy: z.enum(['latest-wins', 'merge', 'agent-priority', 'manual']).default('latest-wins'),
    defaultTtlSec: z
      .number()
      .int()
      .min(0)
      .max(365 * 86_400)
      .default(0),
    maxEntryBytes: z
      .number()
      .int()
      .min(1)
      .max(4 * 1024 * 1024)
      .default(64 * 1024),
  }),
  monitoring: z.strictObject({
    metricsIntervalSec: seconds(3600).default(60),
    alerts: z
      .strictObject({
        responseTimeMs: z.number().int().min(1).max(600_000).default(5000),
        errorRatePercent: z.number().min(0).max(100).default(5),
        memoryPercent: z.number().min(1).max(100).default(80),
      })
      .default({ responseTimeMs: 5000, errorRatePercent: 5, memoryPercent: 80 }),
  }),
} as const satisfies Record<ConfigScope, z.ZodType>;

export type ConfigValue = Record<string, unknown>;

export const configDefaults = (scope: ConfigScope): ConfigValue => CONFIG_SCHEMAS[scope].parse({}) as ConfigValue;

/** JSON Schema of one scope, for the editor's inline validation and completion. */
export const configJsonSchema = (scope: ConfigScope): Record<string, unknown> =>
  z.toJSONSchema(CONFIG_SCHEMAS[scope], { io: 'input', target: 'draft-7' }) as Record<string, unknown>;

export interface ConfigEntry {
  scope: ConfigScope;
  value: ConfigValue;
  /** 0: never set, the defaults are shown. */
  version: number;
  at: number;
  by: string;
}

export interface ConfigVersion extends ConfigEntry {
  /** How this version came to be: a set, a promotion from another environment, a rollback. */
  origin: 'set' | 'promote' | 'rollback';
  reason: string;
}

export interface ConfigChange {
  /** Dotted path of the field; '' for the whole document. */
  path: string;
  left?: unknown;
  right?: unknown;
  kind: 'added' | 'removed' | 'changed';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Field-by-field difference between two documents (arrays compare whole). */
export function diffConfig(left: unknown, right: unknown, path = ''): ConfigChange[] {
  if (isObject(left) && isObject(right)) {
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
    return keys.flatMap((k) => {
      const p = path ? `${path}.${k}` : k;
      if (!(k in right)) return [{ path: p, left: left[k], kind: 'removed' as const }];
      if (!(k in left)) return [{ path: p, right: right[k], kind: 'added' as const }];
      return diffConfig(left[k], right[k], p);
    });
  }
  return JSON.stringify(left) === JSON.stringify(right) ? [] : [{ path, left, right, kind: 'changed' }];
}
