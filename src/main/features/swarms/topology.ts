import { FULL_MESH_LIMIT, MESH_GROUP, TOPOLOGIES, type Edge } from '../../../shared/model/swarm';

export interface Member {
  id: string;
  role: string;
  team?: string;
}

/**
 * The edges messages follow, derived from the topology and the agents in registration order.
 * Pure, so the console, the SDK and the CLI all draw the same graph.
 */
export function topologyEdges(topology: string, members: readonly Member[]): Edge[] {
  if (members.length < 2 || !isTopology(topology)) return [];
  switch (topology) {
    case 'mesh':
      return mesh(members);
    case 'ring':
      return members
        .map((m, i) => {
          const next = members[(i + 1) % members.length] as Member;
          return { from: m.id, to: next.id, reason: `ring: ${next.id} comes after ${m.id}` };
        })
        .slice(0, members.length === 2 ? 1 : members.length);
    case 'star': {
      const hub = coordinatorOf(members);
      return members
        .filter((m) => m !== hub)
        .map((m) => ({ from: hub.id, to: m.id, reason: `star: ${hub.id} is the hub every agent talks through` }));
    }
    case 'hierarchical':
      return hierarchy(members);
  }
}

function isTopology(value: string): value is (typeof TOPOLOGIES)[number] {
  return (TOPOLOGIES as readonly string[]).includes(value);
}

function coordinatorOf(members: readonly Member[]): Member {
  return members.find((m) => m.role === 'coordinator') ?? (members[0] as Member);
}

function mesh(members: readonly Member[]): Edge[] {
  const edges: Edge[] = [];
  const all = (group: readonly Member[], reason: string): void => {
    for (let i = 0; i < group.length; i += 1) {
      for (let j = i + 1; j < group.length; j += 1) edges.push({ from: (group[i] as Member).id, to: (group[j] as Member).id, reason });
    }
  };
  if (members.length <= FULL_MESH_LIMIT) {
    all(members, 'mesh: every agent talks to every other');
    return edges;
  }
  const groups = meshGroups(members);
  groups.forEach((g, i) => all(g, `mesh group ${i + 1}: every agent of the group talks to every other`));
  all(
    groups.map((g) => g[0] as Member),
    'mesh: group gateways talk to each other',
  );
  return edges;
}

/** Mesh groups in registration order; the first member of each is its gateway. */
export function meshGroups(members: readonly Member[]): Member[][] {
  const groups: Member[][] = [];
  for (let i = 0; i < members.length; i += MESH_GROUP) groups.push(members.slice(i, i + MESH_GROUP));
  return groups;
}

/** Team of every worker in a hierarchical swarm: its declared lead, else dealt round-robin. */
export function teamsOf(members: readonly Member[]): { coordinator: Member; leads: Member[]; teamOf: Map<string, string> } {
  const coordinator = coordinatorOf(members);
  const leads = members.filter((m) => m !== coordinator && m.role === 'lead');
  const leadIds = new Set(leads.map((l) => l.id));
  const teamOf = new Map<string, string>();
  let dealt = 0;
  for (const m of members) {
    if (m === coordinator || leadIds.has(m.id) || leads.length === 0) continue;
    const lead = m.team && leadIds.has(m.team) ? m.team : (leads[dealt++ % leads.length] as Member).id;
    teamOf.set(m.id, lead);
  }
  return { coordinator, leads, teamOf };
}

function hierarchy(members: readonly Member[]): Edge[] {
  const { coordinator, leads, teamOf } = teamsOf(members);
  const edges: Edge[] = leads.map((l) => ({
    from: coordinator.id,
    to: l.id,
    reason: `hierarchy: ${coordinator.id} coordinates team lead ${l.id}`,
  }));
  for (const m of members) {
    if (m === coordinator || leads.includes(m)) continue;
    const lead = teamOf.get(m.id);
    edges.push(
      lead
        ? { from: lead, to: m.id, reason: `hierarchy: ${m.id} works in ${lead}'s team` }
        : { from: coordinator.id, to: m.id, reason: `hierarchy: no team leads, so ${coordinator.id} directs ${m.id}` },
    );
  }
  return edges;
}

/** Undirected adjacency, for "may a talk to b" and for the neighbour view. */
export function adjacency(edges: readonly Edge[]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  const link = (a: string, b: string, reason: string): void => {
    const m = out.get(a) ?? new Map<string, string>();
    m.set(b, reason);
    out.set(a, m);
  };
  for (const e of edges) {
    link(e.from, e.to, e.reason);
    link(e.to, e.from, e.reason);
  }
  return out;
}
