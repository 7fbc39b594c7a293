import type { SliceHandlers } from '../../../shared/contract';
import type { memoryContract } from '../../../shared/contract/memory';
import type { Services } from '../../services';

export function memoryHandlers(s: Services): SliceHandlers<typeof memoryContract> {
  const session = (profileId: string) => s.connections.session(profileId);
  return {
    'memory.spaces': ({ profileId }) => s.memory.spaces(session(profileId)),
    'memory.get': async ({ profileId, agent, namespace, key }) => ({
      entry: (await s.memory.get(session(profileId), { agent, namespace }, key)) ?? null,
    }),
    'memory.set': ({ profileId, agent, namespace, key, value, tags, ttlMs, expectVersion, by }) =>
      s.memory.set(session(profileId), { agent, namespace }, key, value, { tags, ttlMs, expectVersion, by }),
    'memory.delete': ({ profileId, agent, namespace, key, expectVersion }) =>
      s.memory.delete(session(profileId), { agent, namespace }, key, expectVersion),
    'memory.search': ({ profileId, agent, namespace, ...options }) => s.memory.search(session(profileId), { agent, namespace }, options),
    'memory.conflicts': ({ profileId, agent, namespace }) => s.memory.conflicts(session(profileId), { agent, namespace }),
    'memory.resolve': ({ profileId, agent, namespace, key, choice, value }) =>
      s.memory.resolve(session(profileId), { agent, namespace }, key, choice, value),
  };
}
