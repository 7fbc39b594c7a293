import type { SWARM_ACTIONS } from '../../../shared/contract';
import { SwarmdeckError } from '../../../shared/errors';
import type { CfnBlockingWait, CfnSavedState, CfnStates, CfnTaskSource } from '../../../shared/model/cfn';
import type { MessageView, ProposalInput, SwarmDetail, SwarmList, SwarmSource } from '../../../shared/model/swarm';
import type { StreamEntry } from '../../../shared/model/task';
import type { Session } from '../../redis/connection-manager';
import { blockingWaits, savedState, savedStates, taskSource } from './cfn-coordination';
import { ClaudeFlowNoviceSource } from './claude-flow-novice';
import { Consensus } from './consensus';
import { SwarmRegistry } from './swarm-registry';
import { topologyEdges } from './topology';

type SwarmAction = (typeof SWARM_ACTIONS)[number];
const TARGET_STATUS = { pause: 'paused', resume: 'running', stop: 'stopped', archive: 'archived' } as const;

/**
 * What the console does with swarms: the views (Swarmdeck's own swarms and, read-only, a
 * claude-flow-novice registry found on the same connection) and audited operator actions.
 */
export class SwarmService {
  private registry(session: Session): SwarmRegistry {
    return new SwarmRegistry(session.client, session.profile.keyPrefix);
  }

  async list(session: Session): Promise<SwarmList> {
    const foreign = new ClaudeFlowNoviceSource(session.client);
    const claudeFlowNovice = await foreign.detect();
    const [own, theirs, ghosts] = await Promise.all([
      this.registry(session).summaries(),
      claudeFlowNovice ? foreign.summaries() : [],
      claudeFlowNovice ? foreign.ghosts() : [],
    ]);
    return { swarms: [...own, ...theirs], claudeFlowNovice, ...(claudeFlowNovice ? { ghosts } : {}) };
  }

  async show(session: Session, id: string, source: SwarmSource): Promise<SwarmDetail> {
    if (source === 'claude-flow-novice') return new ClaudeFlowNoviceSource(session.client).detail(id);
    const registry = this.registry(session);
    const now = Date.now();
    const view = await registry.view(id, now);
    const [leader, proposals, messages] = await Promise.all([
      registry.leader(id),
      new Consensus(registry).proposals(id, 20, now),
      registry.messageCount(id),
    ]);
    return { ...view, source, edges: topologyEdges(view.topology, view.agents), ...(leader ? { leader } : {}), proposals, messages };
  }

  events(
    session: Session,
    id: string,
    source: SwarmSource,
    range: { before?: string; after?: string; count: number },
  ): Promise<StreamEntry[]> {
    if (source === 'claude-flow-novice')
      return range.after !== undefined ? Promise.resolve([]) : new ClaudeFlowNoviceSource(session.client).events(id, range.count);
    return this.registry(session).events(id, range);
  }

  messages(session: Session, id: string, source: SwarmSource, after: string | undefined, count: number): Promise<MessageView[]> {
    if (source === 'claude-flow-novice') return new ClaudeFlowNoviceSource(session.client).messages(id, count);
    return this.registry(session).messages(id, after, count);
  }

  /** Operator actions; each needs the swarm's id typed on production and is written to the audit stream. */
  async act(session: Session, id: string, action: SwarmAction, options: { agentId?: string }): Promise<{ done: string }> {
    const registry = this.registry(session);
    let done: string;
    switch (action) {
      case 'removeAgent': {
        if (!options.agentId)
          throw new SwarmdeckError('VALIDATION', 'Removing an agent needs its id', { fields: [{ path: 'agentId', message: 'required' }] });
        await registry.deregister(id, options.agentId, `operator (${session.profile.name})`);
        done = `removed ${options.agentId}`;
        break;
      }
      case 'stepDown':
        done = `stepped down ${await registry.stepDown(id, `operator (${session.profile.name})`)}`;
        break;
      default:
        await registry.setStatus(id, TARGET_STATUS[action], `operator (${session.profile.name})`);
        done = TARGET_STATUS[action];
    }
    return { done };
  }

  async propose(session: Session, id: string, proposal: ProposalInput): Promise<{ proposal: string }> {
    const registry = this.registry(session);
    return { proposal: await new Consensus(registry).propose(id, { ...proposal, proposer: `operator (${session.profile.name})` }) };
  }

  /** claude-flow-novice's coordination, read-only: its blocking waits, task source and saved states. */
  cfnBlocking(session: Session): Promise<CfnBlockingWait[]> {
    return blockingWaits(session.client);
  }

  cfnTasks(session: Session): Promise<CfnTaskSource> {
    return taskSource(session.client);
  }

  cfnStates(session: Session, swarmId: string): Promise<CfnStates> {
    return savedStates(session.client, swarmId);
  }

  async cfnSaved(session: Session, swarmId: string, kind: CfnSavedState['kind'], id: string): Promise<{ state: string | null }> {
    return { state: (await savedState(session.client, swarmId, kind, id)) ?? null };
  }
}
