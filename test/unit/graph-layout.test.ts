import { describe, expect, it } from 'vitest';
import { topologyEdges } from '../../src/main/features/swarms/topology';
import { agentState, layoutSwarm } from '../../src/renderer/src/features/swarms/graph-layout';
import type { AgentView } from '../../src/shared/model/swarm';

const agent = (id: string, role = 'worker', extra: Partial<AgentView> = {}): AgentView => ({
  id,
  role,
  type: role,
  capabilities: [],
  resources: {},
  weight: 1,
  ttlMs: 5000,
  load: 0,
  reported: 'idle',
  live: true,
  lastHeartbeat: 1,
  heartbeatAgeMs: 1,
  registeredAt: 0,
  ...extra,
});

function swarm(topology: string, agents: AgentView[]) {
  return { topology, agents, edges: topologyEdges(topology, agents) };
}

describe('graph layout', () => {
  const hierarchy = swarm('hierarchical', [
    agent('boss', 'coordinator'),
    agent('lead-a', 'lead'),
    agent('lead-b', 'lead'),
    ...Array.from({ length: 6 }, (_, i) => agent(`w${i}`)),
  ]);

  it('places every agent once, the coordinator on top and workers below their lead', () => {
    const { nodes, teams } = layoutSwarm(hierarchy, new Set());
    expect(nodes.map((n) => n.id).sort()).toEqual(hierarchy.agents.map((a) => a.id).sort());
    const at = new Map(nodes.map((n) => [n.id, n]));
    expect(at.get('boss')?.y).toBe(0);
    expect(at.get('lead-a')?.y).toBeGreaterThan(0);
    for (const w of teams.get('lead-a') ?? []) expect(at.get(w)?.y).toBeGreaterThan(at.get('lead-a')?.y ?? 0);
    expect(new Set(nodes.map((n) => `${n.x},${n.y}`)).size).toBe(nodes.length);
  });

  it('folds a team into its lead and drops the folded edges', () => {
    const open = layoutSwarm(hierarchy, new Set());
    const folded = layoutSwarm(hierarchy, new Set(['lead-a']));
    const members = open.teams.get('lead-a') ?? [];
    expect(members.length).toBe(3);
    expect(folded.nodes.find((n) => n.id === 'lead-a')?.hidden).toBe(3);
    expect(folded.nodes).toHaveLength(open.nodes.length - 3);
    expect(folded.edges.some((e) => members.includes(e.to))).toBe(false);
  });

  it('lays a big mesh out in groups and every agent of a ring on one circle', () => {
    const mesh = layoutSwarm(
      swarm(
        'mesh',
        Array.from({ length: 40 }, (_, i) => agent(`m${i}`)),
      ),
      new Set(),
    );
    expect(mesh.nodes).toHaveLength(40);
    const ring = layoutSwarm(
      swarm(
        'ring',
        Array.from({ length: 8 }, (_, i) => agent(`r${i}`)),
      ),
      new Set(),
    );
    const radii = ring.nodes.map((n) => Math.round(Math.hypot(n.x, n.y) * 1000));
    expect(new Set(radii).size).toBe(1);
  });

  it('shows evidence before what an agent reports', () => {
    expect(agentState(agent('a', 'worker', { reported: 'busy', live: false }))).toBe('offline');
    expect(agentState(agent('a', 'worker', { lastHeartbeat: undefined, heartbeatAgeMs: undefined, live: false }))).toBe('silent');
    expect(agentState(agent('a', 'worker', { reported: 'busy' }))).toBe('busy');
  });
});
