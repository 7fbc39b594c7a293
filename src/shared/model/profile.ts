import { z } from 'zod';

export const ENVIRONMENTS = ['development', 'staging', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

const host = z
  .string()
  .trim()
  .min(1, 'Host is required')
  .max(253, 'Host is longer than 253 characters')
  .regex(/^[A-Za-z0-9._:\-[\]]+$/, 'Host may contain letters, digits, dots, dashes and colons only');
const port = z
  .number({ error: 'Port must be a number' })
  .int('Port must be a whole number')
  .min(1, 'Port must be between 1 and 65535')
  .max(65535, 'Port must be between 1 and 65535');
const filePath = z.string().trim().min(1).max(4096);

export const HostPortSchema = z.strictObject({ host, port });
export type HostPort = z.infer<typeof HostPortSchema>;

export const TopologySchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('standalone'),
    host,
    port,
    db: z.number().int().min(0, 'Database must be 0 or more').max(1023, 'Database must be at most 1023'),
  }),
  z.strictObject({
    kind: z.literal('cluster'),
    seeds: z.array(HostPortSchema).min(1, 'Give at least one seed node').max(64, 'At most 64 seed nodes'),
    /** Announced address `host:port` → address reachable from this machine. */
    natMap: z.record(z.string().max(300), HostPortSchema).optional(),
  }),
]);
export type Topology = z.infer<typeof TopologySchema>;

export const TlsSchema = z.strictObject({
  enabled: z.boolean(),
  caFile: filePath.optional(),
  certFile: filePath.optional(),
  keyFile: filePath.optional(),
  servername: z.string().trim().max(253).optional(),
  /** Certificate verification; turning it off is always an explicit choice. */
  verify: z.boolean(),
});
export type TlsSettings = z.infer<typeof TlsSchema>;

/** What an operator edits. Secrets are never part of it. */
export const ProfileInputSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/, 'Malformed profile id')
    .optional(),
  name: z.string().trim().min(1, 'Name is required').max(64, 'Name is longer than 64 characters'),
  environment: z.enum(ENVIRONMENTS, { error: 'Environment must be development, staging or production' }),
  topology: TopologySchema,
  username: z.string().trim().max(128, 'Username is longer than 128 characters').optional(),
  tls: TlsSchema,
  keyPrefix: z.string().regex(/^[A-Za-z0-9_.-]{1,32}$/, 'Key prefix: 1–32 letters, digits, dot, dash or underscore'),
  readOnly: z.boolean(),
  /** Whether a host that collects (desktop, web host) records its built-in series into this target; absent means yes. */
  recordMetrics: z.boolean().optional(),
  connectTimeoutMs: z.number().int().min(100, 'At least 100 ms').max(120_000, 'At most 120 s'),
  commandTimeoutMs: z.number().int().min(100, 'At least 100 ms').max(600_000, 'At most 600 s'),
  /** Set on profiles created for the local sandbox server. */
  sandbox: z.boolean().optional(),
});
export type ProfileInput = z.infer<typeof ProfileInputSchema>;

export interface Profile extends ProfileInput {
  id: string;
  createdAt: string;
  updatedAt: string;
}

/** A profile as the UI sees it: secrets reduced to whether they exist. */
export interface ProfileView extends Profile {
  hasPassword: boolean;
}

export const PasswordSchema = z.string().max(4096, 'Password is longer than 4096 characters');

export function describeTopology(topology: Topology): string {
  if (topology.kind === 'standalone') {
    return `${topology.host}:${topology.port}${topology.db ? `/${topology.db}` : ''}`;
  }
  const first = topology.seeds[0];
  const more = topology.seeds.length - 1;
  return `cluster ${first ? `${first.host}:${first.port}` : ''}${more > 0 ? ` +${more}` : ''}`;
}

export function defaultProfileInput(): ProfileInput {
  return {
    name: '',
    environment: 'development',
    topology: { kind: 'standalone', host: '127.0.0.1', port: 6379, db: 0 },
    tls: { enabled: false, verify: true },
    keyPrefix: 'sd',
    readOnly: false,
    connectTimeoutMs: 5000,
    commandTimeoutMs: 10000,
  };
}

/** What an operator can edit and export: a profile without its identity, timestamps and sandbox mark. */
export function editableFields(profile: Profile): Omit<ProfileInput, 'id' | 'sandbox'> {
  const { id: _id, createdAt: _created, updatedAt: _updated, sandbox: _sandbox, ...rest } = profile;
  return rest;
}
