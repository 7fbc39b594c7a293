import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Envelope } from '../../src/shared/contract';
import type { RedisClient } from '../../src/main/redis/client-options';
import { defaultProfileInput, type ProfileInput } from '../../src/shared/model/profile';
import { dispatchFor, inProcessClient } from '../../src/main/api';
import { createServices } from '../../src/main/services';
import { bedDir, verifyBed } from '../../scripts/test-bed.mjs';

interface Bed {
  standalone: { port: number };
  cluster: { ports: number[] };
  tls: { port: number };
  acl: { port: number; users: { admin: string; reader: string } };
  tlsDir: string;
  /** Each server the bed started, by port, as it proved itself when started. */
  servers: Record<string, { name: string; pid: number; runId: string }>;
}

export const ROOT = resolve(import.meta.dirname, '../..');
/** The same folder `scripts/test-redis.mjs` chose for this base port (`SWARMDECK_TEST_PORT_BASE`). */
export const BED_DIR = bedDir(ROOT);
export const bed: Bed = JSON.parse(readFileSync(join(BED_DIR, 'bed.json'), 'utf8')) as Bed;

// Tests FLUSH the servers they are given: before any of them runs, every port must still be
// answered by the very server the bed started (one INFO each), never by a stranger.
const problems = await verifyBed(BED_DIR);
if (problems.length > 0) {
  throw new Error(
    `The Redis test bed in ${BED_DIR} is not the one that answers on its ports:\n  ${problems.join('\n  ')}\n` +
      'Run `node scripts/test-redis.mjs start` with the same SWARMDECK_TEST_PORT_BASE (it refuses ports it does not own).',
  );
}

/** The two servers coordination tests run against, each as a name and a way to open a client. */
export function redisTargets(options: RedisOptions = {}): [kind: 'standalone' | 'cluster', connect: () => RedisClient][] {
  return [
    ['standalone', () => new Redis(bed.standalone.port, '127.0.0.1', options)],
    ['cluster', () => new Cluster([{ host: '127.0.0.1', port: bed.cluster.ports[0] as number }], { redisOptions: options })],
  ];
}

export function standalone(overrides: Partial<ProfileInput> = {}): ProfileInput {
  return {
    ...defaultProfileInput(),
    name: 'standalone',
    topology: { kind: 'standalone', host: '127.0.0.1', port: bed.standalone.port, db: 0 },
    ...overrides,
  };
}

export function cluster(overrides: Partial<ProfileInput> = {}): ProfileInput {
  return {
    ...defaultProfileInput(),
    name: 'cluster',
    topology: { kind: 'cluster', seeds: [{ host: '127.0.0.1', port: bed.cluster.ports[0] as number }] },
    ...overrides,
  };
}

export function tls(caFile = join(bed.tlsDir, 'ca.crt'), overrides: Partial<ProfileInput> = {}): ProfileInput {
  return {
    ...standalone(),
    name: 'tls',
    topology: { kind: 'standalone', host: '127.0.0.1', port: bed.tls.port, db: 0 },
    tls: { enabled: true, caFile, verify: true },
    ...overrides,
  };
}

export function acl(username: string, overrides: Partial<ProfileInput> = {}): ProfileInput {
  return {
    ...standalone(),
    name: `acl-${username}`,
    topology: { kind: 'standalone', host: '127.0.0.1', port: bed.acl.port, db: 0 },
    username,
    ...overrides,
  };
}

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'swarmdeck-test-'));
}

/** The real services and the real dispatch, on a private home folder. */
export function harness(options: { healthIntervalMs?: number; env?: NodeJS.ProcessEnv } = {}) {
  const home = tempHome();
  const services = createServices({ home, healthIntervalMs: options.healthIntervalMs ?? 250, env: options.env ?? {} });
  const dispatch = dispatchFor(services);
  /** Saves a profile and connects it; its id. */
  const connected = async (profile: ProfileInput): Promise<string> => {
    const saved = await services.profiles.save(profile);
    await services.connections.connect(saved.id);
    return saved.id;
  };
  // `dispatch` for tests about envelopes; `api` (the CLI's typed client) for tests about behaviour.
  return { home, services, dispatch, api: inProcessClient(dispatch), connected };
}

/** The result of a successful call; a failed one throws with its code, so tests read straight. */
export async function ok<T>(promise: Promise<Envelope>): Promise<T> {
  const envelope = await promise;
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope.result as T;
}
