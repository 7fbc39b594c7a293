import type { NodeReply } from '../../../shared/model/console';
import type { Session } from '../../redis/connection-manager';
import { toSwarmdeckError } from '../../redis/describe-error';
import { parseClientList, parseInfo } from '../../redis/info';
import { nodeHandles, type NodeHandle } from '../../redis/nodes';
import type { Budget } from './reply';
import { toReplyNode, withNode } from './send';

const FRAGMENTATION_FIELDS = [
  'used_memory_human',
  'used_memory_rss_human',
  'maxmemory_human',
  'mem_fragmentation_ratio',
  'mem_fragmentation_bytes',
  'allocator_frag_ratio',
  'mem_allocator',
];

/**
 * The console's own commands, which Redis does not have: CONNECTIONS (CLIENT LIST as records)
 * and MEMORY FRAGMENTATION (the INFO memory fields that tell it), asked of every node or the one named.
 */
export function runOwnCommand(
  session: Session,
  kind: 'connections' | 'fragmentation',
  explicit: NodeHandle | undefined,
  budget: Budget,
  full: boolean | undefined,
): Promise<NodeReply[]> {
  const masters = new Set(nodeHandles(session.client, 'master').map((n) => n.address));
  const nodes = explicit ? [explicit] : nodeHandles(session.client, 'all');
  return Promise.all(
    nodes.map(async (n): Promise<NodeReply> => {
      const role = masters.has(n.address) ? 'master' : 'replica';
      try {
        if (kind === 'connections')
          return withNode(toReplyNode(parseClientList(String(await n.client.call('CLIENT', 'LIST'))), budget, full), n.address, role);
        const info = parseInfo(String(await n.client.info('memory')));
        const fields = Object.fromEntries(Object.entries(info).filter(([k]) => FRAGMENTATION_FIELDS.includes(k)));
        return withNode(toReplyNode(fields, budget, full), n.address, role);
      } catch (error) {
        return withNode({ type: 'error', message: toSwarmdeckError(error, n.address).message }, n.address, role);
      }
    }),
  );
}
