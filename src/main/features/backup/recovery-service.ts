import type { RecoveryFinding as RecoveryFindingView, RecoveryPlanView, RecoveryReportView } from '../../../shared/model/backup';
import type { ConnectionManager } from '../../redis/connection-manager';
import { applyRecovery, scanRecovery, type RecoveryFinding, type RecoveryPlan } from './recovery';

/** Recovery of the coordination keyspace as the operator runs it: scan, look, apply what was shown. */
export class RecoveryService {
  /** The last recovery plan shown per profile: apply fixes exactly what the operator saw. */
  private readonly plans = new Map<string, RecoveryPlan>();

  constructor(private readonly connections: ConnectionManager) {}

  async scan(profileId: string): Promise<RecoveryPlanView> {
    const session = this.connections.session(profileId);
    const plan = await scanRecovery(session.client, session.profile.keyPrefix);
    this.plans.set(profileId, plan);
    return { findings: plan.findings.map(findingView) };
  }

  /** Applies the plan of the last scan (a fresh scan when there was none); each fix re-checks its finding atomically. */
  async apply(profileId: string): Promise<RecoveryReportView> {
    const session = this.connections.session(profileId);
    const plan = this.plans.get(profileId) ?? (await scanRecovery(session.client, session.profile.keyPrefix));
    this.plans.delete(profileId);
    const r = await applyRecovery(session.client, session.profile.keyPrefix, plan, { by: `operator:${session.profile.name}` });
    return {
      applied: r.fixed,
      skipped: r.skipped,
      failed: r.items.filter((i) => i.outcome === 'failed').map((i) => ({ subject: findingView(i.finding).subject, error: i.detail })),
    };
  }
}

function findingView(f: RecoveryFinding): RecoveryFindingView {
  switch (f.kind) {
    case 'expired-lease':
      return {
        kind: f.kind,
        subject: `queue ${f.queue} task ${f.taskId}`,
        detail: f.evidence,
        action: f.attempts >= f.maxAttempts ? 'dead-letter the task' : 'put the task back to waiting',
      };
    case 'orphan-task':
      return { kind: f.kind, subject: `queue ${f.queue} task ${f.taskId}`, detail: f.evidence, action: 'delete the unreachable task hash' };
    case 'idle-swarm':
      return { kind: f.kind, subject: `swarm ${f.swarmId}`, detail: f.evidence, action: 'stop the swarm' };
    case 'missing-swarm':
      return { kind: f.kind, subject: `swarm ${f.swarmId}`, detail: f.evidence, action: `delete its ${f.keys.length} leftover keys` };
    case 'unknown-agent':
      return { kind: f.kind, subject: `swarm ${f.swarmId} agent ${f.agentId}`, detail: f.evidence, action: "delete the agent's hash" };
  }
}
