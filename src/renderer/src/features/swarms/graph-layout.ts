import { FULL_MESH_LIMIT, MESH_GROUP, type AgentView, type Edge, type SwarmDetail } from '../../../../shared/model/swarm';
import { palette } from '../../styles/palette';

export interface PlacedNode {
  id: string;
  x: number;
  y: number;
  agent: AgentView;
  /** Hidden team members behind a collapsed lead. */
  hidden?: number;
  /** Team lead of a hierarchical swarm (its team can collapse). */
  lead?: boolean;
}

export interface Layout {
  nodes: PlacedNode[];
  edges: Edge[];
  /** Lead id → its workers, for hierarchical swarms. */
  teams: Map<string, string[]>;
}

const circle = (count: number, radius: number, cx = 0, cy = 0, phase = -Math.PI / 2): [number, number][] =>
  Array.from({ length: count }, (_, i) => {
    const a = phase + (2 * Math.PI * i) / Math.max(1, count);
    return [cx + radius * Math.cos(a), cy + radius * Math.sin(a)];
  });

function hierarchy(d: Pick<SwarmDetail, 'agents' | 'edges'>): {
  coordinator: AgentView;
  leads: AgentView[];
  teams: Map<string, string[]>;
  direct: string[];
} {
  const agents = d.agents;
  const byId = new Map(agents.map((a) => [a.id, a]));
  const coordinator = agents.find((a) => a.role === 'coordinator') ?? (agents[0] as AgentView);
  const leads = agents.filter((a) => a !== coordinator && a.role === 'lead');
  const teams = new Map<string, string[]>(leads.map((lead) => [lead.id, []]));
  const direct: string[] = [];
  for (const e of d.edges) {
    if (teams.has(e.from) && byId.has(e.to)) teams.get(e.from)?.push(e.to);
    else if (e.from === coordinator.id && !teams.has(e.to)) direct.push(e.to);
  }
  return { coordinator, leads, teams, direct };
}

/** Lead id → its workers: the teams a hierarchical swarm can fold (none for other topologies). */
export function teamsOf(d: Pick<SwarmDetail, 'topology' | 'agents' | 'edges'>): Map<string, string[]> {
  return d.topology === 'hierarchical' && d.agents.length > 0 ? hierarchy(d).teams : new Map();
}

/** Where each agent sits: rings, stars, mesh groups and top-down teams, computed, never forced. */
export function layoutSwarm(d: Pick<SwarmDetail, 'topology' | 'agents' | 'edges'>, collapsed: ReadonlySet<string>): Layout {
  const agents = d.agents;
  const teams = new Map<string, string[]>();
  const place = new Map<string, [number, number]>();
  const n = agents.length;
  const spread = (count: number): number => Math.max(1, Math.sqrt(count) * 1.2);

  if (d.topology === 'hierarchical' && n > 0) {
    const { coordinator, leads, teams: found, direct } = hierarchy(d);
    for (const [lead, members] of found) teams.set(lead, members);
    const groups: [string, string[]][] = leads.length > 0 ? [...teams] : [[coordinator.id, direct]];
    const cols = (members: number): number => Math.max(1, Math.min(8, Math.ceil(Math.sqrt(members))));
    const widths = groups.map(([lead, members]) => (collapsed.has(lead) ? 1 : cols(members.length)) + 1);
    const total = widths.reduce((a, b) => a + b, 0);
    let left = -total / 2;
    groups.forEach(([lead, members], gi) => {
      const width = widths[gi] as number;
      const cx = left + width / 2;
      left += width;
      if (leads.length > 0) place.set(lead, [cx, 2]);
      if (collapsed.has(lead)) return;
      const c = cols(members.length);
      members.forEach((m, k) => place.set(m, [cx + ((k % c) - (c - 1) / 2) * 0.9, (leads.length > 0 ? 3.2 : 2) + Math.floor(k / c) * 0.9]));
    });
    place.set(coordinator.id, [0, 0]);
  } else if (d.topology === 'star' && n > 0) {
    const hub = agents.find((a) => a.role === 'coordinator') ?? (agents[0] as AgentView);
    place.set(hub.id, [0, 0]);
    const rest = agents.filter((a) => a !== hub);
    for (let ring = 0; ring * 48 < rest.length; ring += 1) {
      const members = rest.slice(ring * 48, ring * 48 + 48);
      circle(members.length, 3 + ring * 2, 0, 0, ring * 0.3).forEach((p, i) => place.set((members[i] as AgentView).id, p));
    }
  } else if (d.topology === 'mesh' && n > FULL_MESH_LIMIT) {
    const groups: AgentView[][] = [];
    for (let i = 0; i < n; i += MESH_GROUP) groups.push(agents.slice(i, i + MESH_GROUP));
    const centres = circle(groups.length, Math.max(4, groups.length * 1.1));
    groups.forEach((g, gi) => {
      const [cx, cy] = centres[gi] as [number, number];
      // The gateway sits on the inner side, toward the other groups.
      const phase = Math.atan2(-cy, -cx);
      circle(g.length, 1.6, cx, cy, phase).forEach((p, i) => place.set((g[i] as AgentView).id, p));
    });
  } else {
    circle(n, spread(n) * 2).forEach((p, i) => place.set((agents[i] as AgentView).id, p));
  }

  const hiddenOf = new Map<string, number>();
  const hidden = new Set<string>();
  for (const lead of collapsed) {
    const members = teams.get(lead) ?? [];
    hiddenOf.set(lead, members.length);
    for (const m of members) hidden.add(m);
  }
  const nodes = agents.flatMap((agent) => {
    const p = place.get(agent.id);
    if (!p || hidden.has(agent.id)) return [];
    return [
      {
        id: agent.id,
        x: p[0],
        y: p[1],
        agent,
        ...(teams.has(agent.id) ? { lead: true } : {}),
        ...(hiddenOf.get(agent.id) ? { hidden: hiddenOf.get(agent.id) } : {}),
      },
    ];
  });
  const edges = d.edges.filter((e) => !hidden.has(e.from) && !hidden.has(e.to));
  return { nodes, edges, teams };
}

export type AgentState = 'idle' | 'busy' | 'error' | 'offline' | 'silent';

/** What the graph and the table show: evidence first (offline, never heartbeated), then what the agent says. */
export function agentState(a: AgentView): AgentState {
  if (a.lastHeartbeat === undefined) return 'silent';
  if (!a.live) return 'offline';
  return a.reported === 'busy' ? 'busy' : a.reported === 'error' ? 'error' : 'idle';
}

export const STATE_COLOURS: Record<AgentState, string> = {
  idle: palette.ok,
  busy: palette.accent,
  error: palette.warn,
  offline: palette.bad,
  silent: palette.subtle,
};

export const STATE_LABELS: Record<AgentState, string> = {
  idle: 'idle',
  busy: 'busy',
  error: 'error',
  offline: 'offline',
  silent: 'never heartbeated',
};
