import type { SliceHandlers } from '../../../shared/contract';
import type { memoryContract } from '../../../shared/contract/memory';
import { enforceGuard } from '../../../shared/guards';
import type { Session } from '../../redis/connection-manager';
import type { Services } from '../../services';
import { recordAudit } from '../audit/audit';
import { AgentMemory } from './agent-memory';

export const memoryOf = (session: Session): AgentMemory => new AgentMemory(session.client, session.profile.keyPrefix);

/** What the operator types to confirm: the entry, named by its namespace. */
export const memoryTarget = (agent: string | undefined, namespace: string, key: string): string => `${agent ?? 'shared'}/${namespace}/${key}`;

export function memoryHandlers(s: Services): SliceHandlers<typeof memoryContract> {
  const memory = (profileId: string): AgentMemory => memoryOf(s.connections.session(profileId));
  return {
    'memory.spaces': ({ profileId }) => memory(profileId).spaces(),
    'memory.get': async ({ profileId, agent, namespace, key }) => ({ entry: (await memory(profileId).get({ agent, namespace }, key)) ?? null }),
    'memory.set': ({ profileId, agent, namespace, key, value, ...options }) => memory(profileId).set({ agent, namespace }, key, value, options),
    'memory.delete': ({ profileId, agent, namespace, key, expectVersion }) => memory(profileId).delete({ agent, namespace }, key, expectVersion),
    'memory.search': ({ profileId, agent, namespace, ...options }) => memory(profileId).search({ agent, namespace }, options),
    'memory.conflicts': ({ profileId, agent, namespace }) => memory(profileId).conflicts({ agent, namespace }),
    'memory.resolve': async ({ profileId, agent, namespace, key, choice, value, confirm }) => {
      const session = s.connections.session(profileId);
      const target = memoryTarget(agent, namespace, key);
      enforceGuard(session.profile, 'memory.resolve', { name: target }, confirm);
      const resolved = await memoryOf(session).resolve({ agent, namespace }, key, choice, value, `operator.${session.actor.user}`.slice(0, 64));
      await recordAudit(session, 'memory.resolve', target, `kept the ${choice === 'value' ? "operator's" : choice} value as version ${resolved.version}`);
      return resolved;
    },
  };
}
