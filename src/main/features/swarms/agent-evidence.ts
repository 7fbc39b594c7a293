import type { AgentView, Finding } from '../../../shared/model/swarm';

/**
 * What a swarm's stored fields say once read against the evidence: the leader's lease, each
 * agent's view against its heartbeat deadline, and the contradictions between the two (the
 * claude-flow-novice view reports the same findings).
 */
export function parseLeader(value: string | null | undefined): { agent: string; epoch: number } | undefined {
  const match = value ? /^(.*)\|(\d+)$/.exec(value) : null;
  return match ? { agent: match[1] as string, epoch: Number(match[2]) } : undefined;
}

export function agentView(
  id: string,
  h: Record<string, string>,
  deadline: number | undefined,
  registeredAt: number,
  now: number,
): AgentView {
  const ttlMs = Number(h.ttlMs ?? 15_000);
  const lastHeartbeat = deadline === undefined ? undefined : deadline - ttlMs;
  return {
    id,
    role: h.role ?? 'worker',
    type: h.type ?? 'generic',
    capabilities: h.capabilities ? h.capabilities.split(',') : [],
    resources: h.resources ? (JSON.parse(h.resources) as Record<string, number>) : {},
    weight: Number(h.weight ?? 1),
    ...(h.team ? { team: h.team } : {}),
    ttlMs,
    load: Number(h.load ?? 0),
    reported: h.status ?? 'idle',
    live: deadline !== undefined && now <= deadline,
    ...(lastHeartbeat !== undefined ? { lastHeartbeat, heartbeatAgeMs: now - lastHeartbeat } : {}),
    ...(h.task ? { task: h.task } : {}),
    registeredAt,
  };
}

/** A live agent that says it works on nothing: the one rule for the list and the swarm's page. */
export const busyWithoutTask = (reported: string, task: string | undefined): boolean => reported === 'busy' && !task;

/** Contradictions between what is stored and what the evidence says. */
export function findings(status: string, agents: AgentView[]): Finding[] {
  const out: Finding[] = [];
  for (const a of agents) {
    if (a.lastHeartbeat === undefined)
      out.push({ kind: 'never-heartbeated', agent: a.id, message: `${a.id} registered but never sent a heartbeat` });
    else if (!a.live)
      out.push({
        kind: 'offline',
        agent: a.id,
        message: `${a.id} is offline: last heartbeat ${Math.round((a.heartbeatAgeMs ?? 0) / 1000)} s ago (TTL ${a.ttlMs / 1000} s) although it reports "${a.reported}"`,
      });
    if (a.live && busyWithoutTask(a.reported, a.task))
      out.push({ kind: 'busy-without-task', agent: a.id, message: `${a.id} reports busy but holds no task` });
  }
  if (status === 'running' && !agents.some((a) => a.live))
    out.push({ kind: 'no-live-agents', message: 'The swarm is running but no agent is alive' });
  return out;
}
