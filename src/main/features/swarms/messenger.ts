import { SwarmdeckError } from '../../../shared/errors';
import type { SwarmRegistry } from './swarm-registry';
import { adjacency, topologyEdges } from './topology';

const KIND = /^[A-Za-z0-9_.:-]{1,64}$/;
const MAX_BODY = 64 * 1024;

/**
 * Messages between the agents of one swarm. A message may only travel along an edge of the
 * swarm's topology; the roster the edges are computed from is re-read every few seconds.
 */
export class SwarmMessenger {
  private roster?: { at: number; links: Map<string, Map<string, string>>; topology: string };

  constructor(
    private readonly registry: SwarmRegistry,
    readonly swarmId: string,
    private readonly options: { rosterMs?: number; historyCap?: number } = {},
  ) {}

  async send(from: string, to: string, kind: string, body = ''): Promise<string> {
    if (!KIND.test(kind))
      throw new SwarmdeckError('VALIDATION', `"${kind}" is not a message kind (1–64 letters, digits, dot, dash, colon or underscore)`);
    if (Buffer.byteLength(body) > MAX_BODY) throw new SwarmdeckError('VALIDATION', `A message body holds at most ${MAX_BODY} bytes`);
    const roster = await this.links();
    if (!roster.links.get(from)?.has(to)) {
      throw new SwarmdeckError(
        'VALIDATION',
        `${from} and ${to} are not connected in this ${roster.topology} swarm; messages follow the topology's edges`,
      );
    }
    return (await this.registry.run('sdSwarmSend', this.swarmId, from, to, kind, body, this.options.historyCap ?? 2000)) as string;
  }

  /** Who an agent may talk to, and why. */
  async neighbours(agentId: string): Promise<{ id: string; reason: string }[]> {
    const roster = await this.links();
    return [...(roster.links.get(agentId) ?? new Map<string, string>())].map(([id, reason]) => ({ id, reason }));
  }

  private async links(): Promise<NonNullable<SwarmMessenger['roster']>> {
    if (this.roster && Date.now() - this.roster.at < (this.options.rosterMs ?? 2000)) return this.roster;
    const { topology, members } = await this.registry.members(this.swarmId);
    this.roster = { at: Date.now(), links: adjacency(topologyEdges(topology, members)), topology };
    return this.roster;
  }
}
