import { Cluster, type Redis } from 'ioredis';
import { SwarmdeckError } from '../../../shared/errors';
import type { Session } from '../../redis/connection-manager';
import { nodeHandles, type NodeHandle } from '../../redis/nodes';
import { keyIndexes } from './catalogue';
import type { Plan } from './line-plan';
import { keySlot } from './slot';

/** How long a dedicated connection waits for a blocking command before giving up. */
const DEDICATED_TIMEOUT_MS = 60_000;

/** A connection of one call's own, to one node. */
export interface Dedicated {
  client: Redis;
  address: string;
}

/** The node of the profile the operator named, or NOT_FOUND listing the ones it has. */
export function findNode(session: Session, address: string): NodeHandle {
  const found = nodeHandles(session.client, 'all').find((n) => n.address === address);
  if (!found) {
    const known = nodeHandles(session.client, 'all')
      .map((n) => n.address)
      .join(', ');
    throw new SwarmdeckError('NOT_FOUND', `${address} is not a node of profile "${session.profile.name}" (its nodes: ${known})`, {
      node: address,
    });
  }
  return found;
}

/** On a cluster, the master owning the slot of the command's first key (from its key specs). */
export function slotOwner(session: Session, plan: Plan): string | undefined {
  const client = session.client;
  if (!(client instanceof Cluster)) return nodeHandles(client)[0]?.address;
  const first = plan.command ? keyIndexes(plan.command, plan.argv.length, plan.argv)?.[0] : undefined;
  const key = first === undefined ? undefined : plan.parsed.argv[first];
  return key ? client.slots[keySlot(key)]?.[0] : undefined;
}

/** A connection for the rest of a call: to the node named, else the owner of the first key among its lines. */
export function openDedicated(session: Session, explicit: NodeHandle | undefined, rest: Plan[]): Dedicated {
  let target = explicit;
  if (!target) {
    const address = rest.map((p) => slotOwner(session, p)).find((a) => a !== undefined);
    const nodes = nodeHandles(session.client, 'master');
    target = nodes.find((n) => n.address === address) ?? (nodes[0] as NodeHandle);
  }
  // duplicate() keeps the profile's options and, on a read-only profile, its guard.
  const client = target.client.duplicate({
    retryStrategy: () => null,
    commandTimeout: DEDICATED_TIMEOUT_MS,
    lazyConnect: true,
    connectionName: 'swarmdeck-console',
  });
  client.on('error', () => undefined);
  return { client, address: target.address };
}
