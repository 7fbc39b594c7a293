import { z } from 'zod';
import type { CfnBlockingWait, CfnStates, CfnTaskSource } from '../model/cfn';
import { ProposalInputSchema, type MessageView, type SwarmDetail, type SwarmList, type SwarmSource } from '../model/swarm';
import type { StreamEntry } from '../model/task';
import { ByProfile, Confirm, ProfileId, StreamId, op } from './op';

const SwarmId = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'Malformed swarm id');
const Source = z.enum(['swarmdeck', 'claude-flow-novice']).default('swarmdeck');
const BySwarm = { profileId: ProfileId, swarmId: SwarmId, source: Source };
const WatchId = z.string().regex(/^w-[a-z0-9-]{1,64}$/, 'Malformed watch id');
/** A claude-flow-novice swarm belongs to that deployment: Swarmdeck only reads it. */
const foreign = (source: SwarmSource): { foreignOwner?: string } =>
  source === 'claude-flow-novice' ? { foreignOwner: 'a claude-flow-novice deployment' } : {};
export const SWARM_ACTIONS = ['pause', 'resume', 'stop', 'archive', 'removeAgent', 'stepDown'] as const;

export const swarmsContract = {
  'swarms.list': op<SwarmList>()(ByProfile),
  'swarms.show': op<SwarmDetail>()(z.strictObject(BySwarm)),
  'swarms.events': op<StreamEntry[]>()(
    z.strictObject({ ...BySwarm, before: StreamId.optional(), after: StreamId.optional(), count: z.number().int().min(1).max(500) }),
  ),
  'swarms.messages': op<MessageView[]>()(
    z.strictObject({ ...BySwarm, after: StreamId.optional(), count: z.number().int().min(1).max(1000) }),
  ),
  'swarms.action': op<{ done: string }>()(
    z.strictObject({
      ...BySwarm,
      action: z.enum(SWARM_ACTIONS),
      agentId: z
        .string()
        .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'Malformed agent id')
        .optional(),
      confirm: Confirm,
    }),
    {
      effect: 'write',
      guard: ({ swarmId, source, action }) => ({ action: `swarm.${action}`, target: swarmId, ...foreign(source) }),
      audit: ({ swarmId, action, agentId }) => ({ action: `swarm.${action}`, target: swarmId, detail: agentId ?? '' }),
    },
  ),
  'swarms.propose': op<{ proposal: string }>()(
    z.strictObject({ ...BySwarm, proposal: ProposalInputSchema.omit({ proposer: true }), confirm: Confirm }),
    {
      effect: 'write',
      guard: ({ swarmId, source }) => ({ action: 'swarm.propose', target: swarmId, ...foreign(source) }),
      audit: ({ swarmId, proposal }, created) => ({
        action: 'swarm.propose',
        target: swarmId,
        detail: `${created.proposal}: ${proposal.title}`,
      }),
    },
    // Up to 10,000 named voters of 64 characters each, plus the text of the proposal.
    768 * 1024,
  ),
  /**
   * Starts pushing one swarm's `swarm.detail`, `swarm.events` and `swarm.messages` events and
   * returns the backfill they continue from: every event pushed for this watch is newer than
   * the newest one returned here, so nothing falls between the two.
   */
  'swarms.watch': op<SwarmWatch>()(z.strictObject({ ...BySwarm, count: z.number().int().min(1).max(500).default(40) })),
  'swarms.unwatch': op<{ stopped: boolean }>()(z.strictObject({ profileId: ProfileId, watchId: WatchId })),
  /** A claude-flow-novice deployment, read only: every blocking wait with its verdict. */
  'swarms.cfnBlocking': op<CfnBlockingWait[]>()(ByProfile),
  /** …its leader, routing queue, agents and routing failures. */
  'swarms.cfnTasks': op<CfnTaskSource>()(ByProfile),
  /** …a swarm's saved state, snapshots and checkpoints (passwords redacted). */
  'swarms.cfnStates': op<CfnStates>()(z.strictObject({ profileId: ProfileId, swarmId: SwarmId })),
  /** …one snapshot or checkpoint as saved (passwords redacted); null once expired or too big to load. */
  'swarms.cfnSaved': op<{ state: string | null }>()(
    z.strictObject({ profileId: ProfileId, swarmId: SwarmId, kind: z.enum(['snapshot', 'checkpoint']), id: SwarmId }),
  ),
} as const;

/** What `swarms.watch` answers: the detail and the newest events (newest first) as of the tail's start. */
export interface SwarmWatch {
  watchId: string;
  swarmId: string;
  source: SwarmSource;
  detail: SwarmDetail;
  events: StreamEntry[];
  /** No older events exist than the ones returned. */
  eventsComplete: boolean;
}
