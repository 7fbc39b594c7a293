import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditKey } from '../../src/main/redis/keyspace';
import { OP_NAMES, contract, type Envelope, type OpName } from '../../src/shared/contract';
import type { Declaration, DeclaredProfile, Operation } from '../../src/shared/contract/op';
import type { ZodType } from 'zod';
import type { JobView } from '../../src/shared/model/job';
import { editableFields, type Profile } from '../../src/shared/model/profile';
import { bed, harness, standalone } from '../support/bed';
import { samples } from '../support/contract-samples';
import { until } from '../support/harness';

/**
 * The sweep is generated from the contract: every operation that declares a write or a guard
 * is in it without anyone adding it. Each runs with its one valid sample, pointed at this file's
 * profiles, on a database of its own, so Redis and the home can be compared whole.
 */
const DB = 9;
const declared = (op: OpName): Operation<ZodType, unknown> => contract[op] as Operation<ZodType, unknown>;
const declarationOf = (op: OpName): Declaration<unknown, unknown> | undefined => declared(op).declared;

type Input = Record<string, unknown>;

/** The sample, aimed at `target` (and `other` where an op names a second profile), without version checks that would make it a conflict. */
function inputFor(op: OpName, target: string, other: string): Input {
  const input = structuredClone(samples[op]) as Input;
  for (const key of ['profileId', 'toProfileId', 'backupProfileId', 'storedPasswordOf']) if (key in input) input[key] = target;
  for (const key of ['fromProfileId', 'otherProfileId']) if (key in input) input[key] = other;
  if (op.startsWith('profiles.') && 'id' in input) input.id = target;
  delete input.expectVersion;
  delete input.fence;
  delete input.confirm;
  // The sample aims at a node of another bed; a console or MONITOR call on this profile's own server is what the sweep needs.
  delete input.node;
  return input;
}

/** The name dispatch will ask for: only when the input names a stored profile, as dispatch resolves it. */
function expectedTarget(op: OpName, input: Input, profile: DeclaredProfile): string | undefined {
  const declaration = declarationOf(op);
  const named = declaration?.profile ? declaration.profile(input) : input.profileId;
  return named === profile.id ? declaration?.guard?.(input, profile)?.target : undefined;
}

/** Every file of the home with its size and modification time: a refused call must leave it as it was. */
function homeState(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      // The console's history is this process's own file: it changes with reads too.
      else out.push(`${path.slice(dir.length)} ${st.size} ${st.mtimeMs}`);
    }
  };
  walk(dir);
  return out.sort();
}

// The last test removes the production profile the others use: the order is kept under --sequence.shuffle.
describe('guards and audit as declared by the contract, for every operation', { shuffle: false }, () => {
  const h = harness();
  const redis = new Redis(bed.standalone.port, '127.0.0.1', { db: DB });
  const profiles: Record<'ro' | 'prod' | 'other', Profile> = {} as never;
  const counts = { ops: OP_NAMES.length, writes: 0, readOnlyRefusals: 0, guarded: 0, confirmationRefusals: 0, ranWithName: 0, audited: 0 };

  beforeAll(async () => {
    await redis.flushdb();
    const base = { topology: { kind: 'standalone' as const, host: '127.0.0.1', port: bed.standalone.port, db: DB } };
    for (const [key, extra] of [
      ['ro', { readOnly: true }],
      ['prod', { environment: 'production' as const }],
      ['other', {}],
    ] as const) {
      const id = await h.connected(standalone({ ...base, ...extra, name: `declared-${key}`, keyPrefix: `decl${key}` }));
      profiles[key] = h.services.connections.session(id).profile;
    }
  });

  afterAll(async () => {
    await h.services.dispose();
    redis.disconnect();
  });

  /** A call, and the jobs it started run to their end, so nothing they write falls into the next call's count. */
  async function call(op: OpName, input: Input): Promise<Envelope> {
    const envelope = await h.dispatch(op, input);
    const job = envelope.ok ? (envelope.result as Partial<JobView> | undefined) : undefined;
    if (job && typeof job === 'object' && typeof job.id === 'string' && job.id.startsWith('job-')) {
      await until(`job ${job.id} of ${op}`, () => (h.services.jobs.get(job.id as string).state === 'running' ? undefined : true), 30_000);
    }
    return envelope;
  }

  const redisState = async (): Promise<string> => `${await redis.dbsize()} ${(await redis.keys('*')).sort().join(',')}`;

  it('refuses every write on a read-only profile, leaving Redis and the home as they were', async () => {
    const ro = profiles.ro;
    const writes = OP_NAMES.filter((op) => declared(op).effect === 'write');
    counts.writes = writes.length;
    const before = { redis: await redisState(), home: homeState(h.home) };
    const leaked: string[] = [];
    for (const op of writes) {
      const input = inputFor(op, ro.id, profiles.other.id);
      const target = expectedTarget(op, input, ro);
      const envelope = await call(op, target === undefined ? input : { ...input, confirm: target });
      if (envelope.ok || envelope.error.code !== 'READ_ONLY') leaked.push(`${op}: ${envelope.ok ? 'ran' : envelope.error.code}`);
      else counts.readOnlyRefusals += 1;
    }
    expect(leaked).toEqual([]);
    expect(await redisState()).toBe(before.redis);
    expect(homeState(h.home)).toEqual(before.home);
    // The console declares each line itself: a write line is refused the same way.
    expect(await h.dispatch('console.exec', { profileId: ro.id, line: 'SET declared:ro 1' })).toMatchObject({
      ok: false,
      error: { code: 'READ_ONLY' },
    });
    expect(writes.length).toBeGreaterThan(20);
  });

  it('every operation that takes a confirmation declares the guard that reads it, and nothing that only reads takes one', () => {
    const takesConfirm = (op: OpName): boolean => {
      const schema = declared(op).input as unknown as { shape?: Record<string, unknown>; options?: { shape: Record<string, unknown> }[] };
      const shapes = schema.shape ? [schema.shape] : (schema.options ?? []).map((o) => o.shape);
      return shapes.some((shape) => 'confirm' in shape);
    };
    const confirmable = OP_NAMES.filter(takesConfirm);
    expect(confirmable.filter((op) => declarationOf(op)?.guard === undefined && declared(op).effect !== 'command')).toEqual([]);
    expect(confirmable.filter((op) => declared(op).effect === 'read')).toEqual([]);
  });

  it('asks on production for what the review found unconfirmed', async () => {
    const prod = profiles.prod;
    const cases: [OpName, Input, string][] = [
      ['config.set', { profileId: prod.id, scope: 'swarm', value: { maxAgents: 3 } }, 'swarm'],
      ['memory.set', { profileId: prod.id, namespace: 'notes', key: 'k', value: '{"a":1}' }, 'shared/notes/k'],
      ['memory.delete', { profileId: prod.id, namespace: 'notes', key: 'k' }, 'shared/notes/k'],
      ['state.set', { profileId: prod.id, key: 'review:k', value: 'v' }, 'review:k'],
      [
        'alerts.setRule',
        {
          profileId: prod.id,
          rule: {
            name: 'Quiet',
            series: 'redis.ping_ms',
            stat: 'max',
            windowSec: 60,
            op: 'gt',
            threshold: 1,
            forSec: 0,
            hysteresis: 0,
            severity: 'warning',
            enabled: false,
          },
        },
        'Quiet',
      ],
      // An existing rule is named by its id: renaming it in the same call does not choose the text typed.
      [
        'alerts.setRule',
        {
          profileId: prod.id,
          rule: {
            id: 'default-latency',
            name: 'typed-anything',
            series: 'redis.ping_ms',
            stat: 'max',
            windowSec: 60,
            op: 'gt',
            threshold: 1,
            forSec: 0,
            hysteresis: 0,
            severity: 'warning',
            enabled: false,
          },
        },
        'default-latency',
      ],
      ['alerts.deleteRule', { profileId: prod.id, id: 'default-latency' }, 'default-latency'],
      // A copy carries the password and could be demoted by the name the caller gave it.
      ['profiles.duplicate', { id: prod.id, name: 'prod copy' }, prod.name],
      ['backup.schedule.set', { profileId: prod.id, schedule: null }, prod.name],
    ];
    for (const [op, input, name] of cases) {
      expect(await h.dispatch(op, input), op).toMatchObject({
        ok: false,
        error: { code: 'CONFIRMATION_REQUIRED', message: expect.stringContaining(name) },
      });
      const done = await h.dispatch(op, { ...input, confirm: name });
      expect(done.ok ? 'ok' : done.error.code, op).toBe('ok');
    }
  });

  it('asks for the production name before a rename, so the next call cannot be confirmed with a name the caller chose', async () => {
    const id = await h.connected(standalone({ name: 'declared-rename', environment: 'production' }));
    const stored = await h.services.profiles.get(id);
    const renamed = { profile: { ...editableFields(stored), id, name: 'chosen-by-caller' } };
    expect(await h.dispatch('profiles.save', renamed)).toMatchObject({
      ok: false,
      error: { code: 'CONFIRMATION_REQUIRED', message: expect.stringContaining('declared-rename') },
    });
    expect(await h.dispatch('profiles.save', { ...renamed, confirm: 'declared-rename' })).toMatchObject({ ok: true });
  });

  it('reports an action whose audit entry could not be written as done, not audited, instead of failed', async () => {
    const prod = profiles.prod;
    const audit = auditKey(prod.keyPrefix);
    // The stream's key holds a string: XADD fails with WRONGTYPE after the action happened.
    await redis.del(audit);
    await redis.set(audit, 'not a stream');
    try {
      const envelope = await h.dispatch('state.set', { profileId: prod.id, key: 'unaudited', value: 'v', confirm: 'unaudited' });
      expect(envelope).toMatchObject({
        ok: true,
        result: { version: 1 },
        notAudited: expect.stringContaining('state.set on unaudited was done but not written to the audit stream'),
      });
      expect(await h.dispatch('state.get', { profileId: prod.id, key: 'unaudited' })).toMatchObject({
        ok: true,
        result: { entry: { value: 'v' } },
      });
    } finally {
      await redis.del(audit);
    }
  });
  it('asks for the typed name on production before every guarded action, runs it with the name, and audits each write that ran once', async () => {
    const prod = profiles.prod;
    const audit = auditKey(prod.keyPrefix);
    // Removing the profile itself goes last (and this test last of the file): every other call needs it.
    const ops = [...OP_NAMES.filter((op) => op !== 'profiles.remove'), 'profiles.remove' as const].filter(
      (op) => declared(op).effect !== 'read',
    );
    const problems: string[] = [];
    for (const op of ops) {
      const input = inputFor(op, prod.id, profiles.other.id);
      const target = expectedTarget(op, input, prod);
      if (target !== undefined) {
        counts.guarded += 1;
        const refusedBefore = await redisState();
        const refused = await call(op, input);
        if (refused.ok || refused.error.code !== 'CONFIRMATION_REQUIRED')
          problems.push(`${op} without its name: ${refused.ok ? 'ran' : refused.error.code}`);
        else counts.confirmationRefusals += 1;
        if ((await redisState()) !== refusedBefore) problems.push(`${op} without its name changed Redis`);
      }
      const entriesBefore = await redis.xlen(audit);
      const envelope = await call(op, target === undefined ? input : { ...input, confirm: target });
      if (!envelope.ok && (envelope.error.code === 'CONFIRMATION_REQUIRED' || envelope.error.code === 'READ_ONLY')) {
        problems.push(`${op} with its name: ${envelope.error.code} ${envelope.error.message}`);
        continue;
      }
      if (target !== undefined) counts.ranWithName += 1;
      const declaration = declarationOf(op);
      const spec =
        envelope.ok && declaration && typeof declaration.audit === 'function' ? declaration.audit(input, envelope.result, prod) : undefined;
      const added = (await redis.xlen(audit)) - entriesBefore;
      if (typeof declaration?.audit !== 'function') continue;
      if (!spec) {
        if (added !== 0) problems.push(`${op} ${envelope.ok ? 'declared no entry for this call' : 'failed'} but wrote ${added}`);
        continue;
      }
      if (added !== 1) {
        problems.push(`${op} ran and wrote ${added} audit entries`);
        continue;
      }
      const [[, flat] = ['', []]] = (await redis.xrevrange(audit, '+', '-', 'COUNT', 1)) as [string, string[]][];
      const fields = Object.fromEntries(flat.flatMap((v, i) => (i % 2 === 0 ? [[v, flat[i + 1]]] : [])));
      expect(fields, op).toMatchObject({
        action: spec.action,
        target: spec.target,
        profile: prod.name,
        user: expect.stringMatching(/.+/),
        host: expect.stringMatching(/.+/),
        via: expect.stringMatching(/.+/),
      });
      counts.audited += 1;
    }
    expect(problems).toEqual([]);
    process.stdout.write(`[declared-guards] ${JSON.stringify(counts)}\n`);
    // Not vacuous: most guarded actions ran with their name, and writes of every kind were audited.
    expect(counts.confirmationRefusals).toBe(counts.guarded);
    expect(counts.guarded).toBeGreaterThan(20);
    expect(counts.audited).toBeGreaterThan(10);
  }, 120_000);
});
