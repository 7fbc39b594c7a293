import { z } from 'zod';
import {
  contract,
  isOpName,
  type Envelope,
  type OpName,
  type OpOutput,
  type OpParsed,
} from '../shared/contract';
import { SwarmdeckError } from '../shared/errors';
import { validationError } from '../shared/validation';
import { ProfileInputSchema, editableFields, type Profile, type ProfileView } from '../shared/model/profile';
import { auditTrail } from './coordination/audit';
import { passwordTargetChanges } from './profiles/password-target';
import { testConnection } from './redis/connection-test';
import { toSwarmdeckError } from './redis/describe-error';
import type { Services } from './services';

/** Injected at build time from package.json (see electron.vite.config.ts). */
declare const __SWARMDECK_VERSION__: string | undefined;
const APP_VERSION = typeof __SWARMDECK_VERSION__ === 'string' ? __SWARMDECK_VERSION__ : 'dev';

type Handlers = { [N in OpName]: (input: OpParsed<N>) => Promise<OpOutput<N>> };

const ExportFile = z.strictObject({
  format: z.literal('swarmdeck-profiles'),
  version: z.literal(1),
  profiles: z.array(ProfileInputSchema).max(1000),
});

/** Implements the contract by composing the services; knows nothing of transports. */
export function createHandlers(s: Services): Handlers {
  const view = async (p: Profile): Promise<ProfileView> => ({ ...p, hasPassword: await s.secrets.hasPassword(p.id) });

  return {
    'profiles.list': async () => Promise.all((await s.profiles.list()).map(view)),
    'profiles.save': async ({ profile, password }) => {
      const saved = await s.profiles.save(profile, password);
      s.bus.emit({ type: 'profiles.changed' });
      return view(saved);
    },
    'profiles.duplicate': async ({ id, name }) => {
      const copy = await s.profiles.duplicate(id, name);
      s.bus.emit({ type: 'profiles.changed' });
      return view(copy);
    },
    'profiles.remove': async ({ id }) => {
      if (s.connections.isConnected(id)) s.connections.disconnect(id);
      await s.profiles.remove(id);
      s.bus.emit({ type: 'profiles.changed' });
      return { removed: id };
    },
    'profiles.export': async ({ ids }) => {
      const all = await s.profiles.list();
      const chosen = ids ? all.filter((p) => ids.includes(p.id)) : all;
      // Secrets never leave: the export holds the editable fields only.
      const profiles = chosen.map(editableFields);
      return { json: JSON.stringify({ format: 'swarmdeck-profiles', version: 1, profiles }, null, 2) };
    },
    'profiles.import': async ({ json }) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(json);
      } catch {
        throw new SwarmdeckError('VALIDATION', 'The file is not JSON');
      }
      const file = ExportFile.safeParse(parsed);
      if (!file.success) throw validationError(file.error, 'The file is not a Swarmdeck profile export');
      const imported = await Promise.all((await s.profiles.importAll(file.data.profiles)).map(view));
      s.bus.emit({ type: 'profiles.changed' });
      return { imported };
    },
    'profiles.test': async ({ profile, password, storedPasswordOf }) => {
      if (password !== undefined || storedPasswordOf === undefined) return testConnection({ profile, password });
      const stored = await s.profiles.get(storedPasswordOf);
      const secret = await s.secrets.password(stored.id);
      // Without a stored password there is nothing to leak, and editing such a profile's host must stay testable.
      if (secret === undefined) return testConnection({ profile });
      const changed = passwordTargetChanges(stored, profile);
      if (changed.length > 0) {
        const what = changed.join(', ');
        throw new SwarmdeckError('VALIDATION', `The stored password of "${stored.name}" is only sent to its own server; this test changes its ${what}. Type the password to test it.`, {
          fields: [{ path: 'password', message: `Type the password again: the ${what} changed` }],
        });
      }
      return testConnection({ profile, password: secret });
    },
    'connections.list': async () => s.connections.list(),
    'connections.connect': ({ profileId }) => s.connections.connect(profileId),
    'connections.disconnect': async ({ profileId }) => s.connections.disconnect(profileId),
    'health.snapshot': ({ profileId }) => s.health.snapshot(profileId),
    'alerts.thresholds': () => s.settings.thresholds(),
    'alerts.setThresholds': (thresholds) => s.settings.setThresholds(thresholds),
    'app.info': async () => ({ version: APP_VERSION, secrets: s.secrets.backend }),
    'sandbox.status': async () => s.sandbox.status(),
    'sandbox.start': async () => {
      const profile = await s.sandbox.start();
      s.bus.emit({ type: 'profiles.changed' });
      return view(profile);
    },
    'redis.ping': async ({ profileId }) => {
      const client = s.connections.session(profileId).client;
      const started = performance.now();
      await client.ping();
      return { ms: performance.now() - started };
    },
    'queues.list': ({ profileId }) => s.queues.summaries(s.connections.session(profileId)),
    'queues.summary': ({ profileId, queue, minutes }) => s.queues.summary(s.connections.session(profileId), queue, minutes),
    'queues.tasks': ({ profileId, queue, state, offset, limit }) => s.queues.tasks(s.connections.session(profileId), queue, state, offset, limit),
    'queues.task': ({ profileId, queue, id }) => s.queues.task(s.connections.session(profileId), queue, id),
    'queues.events': ({ profileId, queue, count }) => s.queues.events(s.connections.session(profileId), queue, count),
    'audit.recent': ({ profileId, count }) => auditTrail(s.connections.session(profileId), count),
    'queues.enqueue': ({ profileId, queue, task }) => s.queues.enqueue(s.connections.session(profileId), queue, task),
    'queues.action': ({ profileId, queue, action, ...options }) => s.queues.act(s.connections.session(profileId), queue, action, options),
    'swarms.list': ({ profileId }) => s.swarms.list(s.connections.session(profileId)),
    'swarms.show': ({ profileId, swarmId, source }) => s.swarms.show(s.connections.session(profileId), swarmId, source),
    'swarms.events': ({ profileId, swarmId, source, ...range }) => s.swarms.events(s.connections.session(profileId), swarmId, source, range),
    'swarms.messages': ({ profileId, swarmId, source, after, count }) => s.swarms.messages(s.connections.session(profileId), swarmId, source, after, count),
    'swarms.action': ({ profileId, swarmId, source, action, ...options }) => s.swarms.act(s.connections.session(profileId), swarmId, source, action, options),
    'swarms.propose': ({ profileId, swarmId, source, proposal, confirm }) => s.swarms.propose(s.connections.session(profileId), swarmId, source, proposal, confirm),
  };
}

export type Dispatch = (op: unknown, input: unknown) => Promise<Envelope>;

/**
 * The single entry every transport calls: checks the operation name, validates the input
 * against the contract, runs the handler, and turns any failure into a typed error.
 */
export function createDispatch(handlers: Handlers, onUnexpected?: (error: unknown) => void): Dispatch {
  return async (op, input) => {
    try {
      // Never String(op): an object whose toString is not a function makes it throw.
      if (!isOpName(op)) throw new SwarmdeckError('UNKNOWN_OPERATION', `There is no operation ${typeof op === 'string' ? JSON.stringify(op.slice(0, 100)) : `of type ${typeof op}`}`);
      const parsed = contract[op].input.safeParse(input);
      if (!parsed.success) throw validationError(parsed.error);
      const handler = handlers[op] as (input: unknown) => Promise<unknown>;
      return { ok: true, result: await handler(parsed.data) };
    } catch (error) {
      if (error instanceof SwarmdeckError) return { ok: false, error: error.toPayload() };
      if (isRedisFailure(error)) return { ok: false, error: toSwarmdeckError(error, whereOf(input)).toPayload() };
      onUnexpected?.(error);
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, error: { code: 'INTERNAL', message: `Unexpected failure: ${message}` } };
    }
  };
}

/**
 * Errors raised by Redis itself or by the socket under it, as opposed to bugs of ours. ioredis
 * reports a command timeout and a closed connection as bare `Error`s, known only by their text.
 */
function isRedisFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ReplyError' || error.name === 'MaxRetriesPerRequestError' || 'code' in error) return true;
  return /^(Command timed out|Connection is closed\.?|Stream isn't writeable.*)$/.test(error.message);
}

/** Names the connection a failed call was about, for the operator's sentence. */
function whereOf(input: unknown): string {
  const profileId = typeof input === 'object' && input !== null ? (input as { profileId?: unknown }).profileId : undefined;
  return typeof profileId === 'string' ? `the Redis connection of profile "${profileId}"` : 'Redis';
}
