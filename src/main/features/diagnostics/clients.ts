import type { ClientGroup, ClientsAnalysis } from '../../../shared/model/diagnostics';
import type { RedisClient } from '../../redis/client-options';
import { parseClientList } from '../../redis/info';
import { nodeHandles } from '../../redis/nodes';
import { Findings, bytes } from './findings';

/** A client whose replies pile up this much in the server is not reading them. */
export const OUTPUT_BUFFER_WARN = 4 * 1024 * 1024;
const OUTPUT_BUFFER_CRIT = 64 * 1024 * 1024;

export async function diagnoseClients(client: RedisClient, findings: Findings): Promise<ClientsAnalysis> {
  const byName = new Map<string, ClientGroup>();
  const byAddress = new Map<string, ClientGroup>();
  const all: ClientsAnalysis['largestBuffers'] = [];
  for (const node of nodeHandles(client, 'all')) {
    const text = String(await node.client.call('CLIENT', 'LIST'));
    for (const c of parseClientList(text)) {
      const omem = Number(c.omem ?? 0);
      const idle = Number(c.idle ?? 0);
      const cmd = c.cmd ?? '';
      const name = c.name || '(unnamed)';
      const host = (c.addr ?? '').replace(/:\d+$/, '');
      for (const [map, by, group] of [
        [byName, 'name', name],
        [byAddress, 'address', host],
      ] as const) {
        const g = map.get(group) ?? { by, group, clients: 0, maxIdleSeconds: 0, outputBufferBytes: 0, commands: {} };
        g.clients += 1;
        g.maxIdleSeconds = Math.max(g.maxIdleSeconds, idle);
        g.outputBufferBytes += omem;
        g.commands[cmd] = (g.commands[cmd] ?? 0) + 1;
        map.set(group, g);
      }
      all.push({ node: node.address, id: c.id ?? '', addr: c.addr ?? '', name: c.name ?? '', omem, cmd, idle });
    }
  }
  all.sort((a, b) => b.omem - a.omem);
  for (const c of all) {
    if (c.omem < OUTPUT_BUFFER_WARN) break;
    findings.add({
      id: 'client-output-buffer',
      severity: c.omem >= OUTPUT_BUFFER_CRIT ? 'critical' : 'warning',
      title: `A client holds ${bytes(c.omem)} of unread replies`,
      detail: `Client ${c.id} at ${c.addr}${c.name ? ` ("${c.name}")` : ''} on ${c.node} last ran ${c.cmd} and is not reading its replies fast enough; the server keeps them in memory.`,
      recommendation:
        'Find the process at that address: it is stuck or too slow. Set client-output-buffer-limit for normal clients so such a client is disconnected before it exhausts memory.',
      evidence: [{ command: 'CLIENT LIST', node: c.node, figures: { id: c.id, addr: c.addr, omem: c.omem, cmd: c.cmd, idle: c.idle } }],
      node: c.node,
    });
  }
  const sortGroups = (m: Map<string, ClientGroup>): ClientGroup[] => [...m.values()].sort((a, b) => b.clients - a.clients);
  return { total: all.length, byName: sortGroups(byName), byAddress: sortGroups(byAddress), largestBuffers: all.slice(0, 10) };
}
