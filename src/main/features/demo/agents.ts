import type { STRATEGIES, TOPOLOGIES } from '../../../shared/model/swarm';
import type { LeaderElection } from '../swarms/leader-election';
import type { Member } from '../swarms/topology';
import { behaviourOf, type Behaviour } from './misbehaviour';

const TYPES = ['researcher', 'coder', 'reviewer', 'tester', 'planner'] as const;

export interface DemoAgent extends Member {
  weight: number;
  behaviour: Behaviour;
  crashed: boolean;
  status: 'idle' | 'busy' | 'error';
  task?: string;
  load: number;
}

/** One demo swarm's roster and the elections of its candidates. */
export class DemoSwarm {
  readonly agents: DemoAgent[];
  readonly elections: LeaderElection[] = [];
  private readonly voted = new Set<string>();
  status = 'running';

  constructor(
    readonly id: string,
    readonly topology: (typeof TOPOLOGIES)[number],
    readonly strategy: (typeof STRATEGIES)[number],
    size: number,
  ) {
    const leads = topology === 'hierarchical' ? Math.max(1, Math.round(size / 12)) : 0;
    this.agents = Array.from({ length: size }, (_, i) => {
      const role = i === 0 && topology !== 'mesh' && topology !== 'ring' ? 'coordinator' : leads > 0 && i <= leads ? 'lead' : 'worker';
      const type = role === 'worker' ? TYPES[i % TYPES.length] : role;
      return {
        id: `${type}-${i}`,
        role,
        weight: 1 + (i % 3),
        behaviour: behaviourOf(role, i),
        crashed: false,
        status: 'idle' as const,
        load: 0,
      };
    });
  }

  /** True the first time a proposal is seen, so its votes are scheduled once. */
  firstVote(proposal: string): boolean {
    if (this.voted.has(proposal)) return false;
    this.voted.add(proposal);
    return true;
  }
}
