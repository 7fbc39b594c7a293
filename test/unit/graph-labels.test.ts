import { describe, expect, it } from 'vitest';
import { topologyEdges } from '../../src/main/features/swarms/topology';
import {
  autoFold,
  findAgent,
  foldedTeams,
  groupNeighbours,
  leadOf,
  placeLabels,
  type LabelBox,
} from '../../src/renderer/src/features/swarms/graph-labels';
import { layoutSwarm, teamsOf } from '../../src/renderer/src/features/swarms/graph-layout';
import { axisRanges, centreWindow, labelCandidates } from '../../src/renderer/src/features/swarms/topology-option';
import type { AgentView } from '../../src/shared/model/swarm';

const agent = (id: string, role = 'worker'): AgentView => ({
  id,
  role,
  type: role,
  capabilities: [],
  resources: {},
  weight: 1,
  ttlMs: 5000,
  load: 0.5,
  reported: 'idle',
  live: true,
  lastHeartbeat: 1,
  heartbeatAgeMs: 1,
  registeredAt: 0,
});

/** The bench's shape: a coordinator, one lead per twelve agents, workers under them. */
function hierarchy(n: number) {
  const leads = Math.round(n / 12);
  const agents = Array.from({ length: n }, (_, i) => agent(`agent-${i}`, i === 0 ? 'coordinator' : i <= leads ? 'lead' : 'worker'));
  return { topology: 'hierarchical', agents, edges: topologyEdges('hierarchical', agents) };
}

const overlap = (a: LabelBox, b: LabelBox) =>
  a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;

/** The chart's mapping from layout units to pixels, for a view of the given share of the drawing. */
function project(layout: ReturnType<typeof layoutSwarm>, width: number, height: number, window = axisRanges(layout)) {
  const sx = width / (window.x[1] - window.x[0]);
  const sy = height / (window.y[1] - window.y[0]);
  return (x: number, y: number): [number, number] => [(x - window.x[0]) * sx, (y - window.y[0]) * sy];
}

describe('graph labels at a thousand agents', () => {
  const big = hierarchy(1000);
  const teams = teamsOf(big);

  it('folds teams above a size once the swarm is too big to draw every agent, and none in a small one', () => {
    const folded = autoFold(teams, big.agents.length);
    expect(folded.size).toBeGreaterThan(0);
    const visible = big.agents.length - [...folded].reduce((sum, lead) => sum + (teams.get(lead)?.length ?? 0), 0);
    expect(visible).toBeLessThanOrEqual(250);
    // One size decides: every team at least as large as the smallest folded one is folded too.
    const smallest = Math.min(...[...folded].map((lead) => teams.get(lead)?.length ?? 0));
    for (const [lead, members] of teams) if (members.length >= smallest) expect(folded.has(lead)).toBe(true);
    const small = hierarchy(100);
    expect(autoFold(teamsOf(small), 100).size).toBe(0);
  });

  it('lets the operator flip a folded or open team against the automatic choice', () => {
    expect([...foldedTeams(new Set(['a', 'b']), new Set(['b', 'c']))].sort()).toEqual(['a', 'c']);
  });

  it('draws no two labels over each other, and more of them as the view zooms in', () => {
    const layout = layoutSwarm(big, autoFold(teams, big.agents.length));
    const [width, height] = [1100, 460];
    const all = labelCandidates(layout, undefined, undefined, project(layout, width, height));
    const wide = placeLabels(all, { width, height });
    for (let i = 0; i < wide.length; i += 1)
      for (let j = i + 1; j < wide.length; j += 1) expect(overlap(wide[i] as LabelBox, wide[j] as LabelBox)).toBe(false);
    expect(wide.length).toBeGreaterThan(0);
    expect(wide.length).toBeLessThan(layout.nodes.length);
    // A quarter of the width around the middle: the same nodes four times further apart.
    const r = axisRanges(layout);
    const zoomed = { x: [r.x[0] + (r.x[1] - r.x[0]) * 0.375, r.x[0] + (r.x[1] - r.x[0]) * 0.625] as [number, number], y: r.y };
    const near = placeLabels(labelCandidates(layout, undefined, undefined, project(layout, width, height, zoomed)), { width, height });
    const inView = layout.nodes.filter((n) => n.x >= zoomed.x[0] && n.x <= zoomed.x[1]).length;
    expect(near.length / inView).toBeGreaterThan(wide.length / layout.nodes.length);
  });

  it('labels the selected agent first, wherever it is', () => {
    const layout = layoutSwarm(big, new Set());
    const chosen = 'agent-977';
    const placed = placeLabels(labelCandidates(layout, 'agent-0', chosen, project(layout, 1100, 460)), { width: 1100, height: 460 });
    expect(placed[0]?.id).toBe(chosen);
  });

  it('centres a zoom window on an agent, inside the drawing', () => {
    const ranges = { x: [-50, 50] as [number, number], y: [-1, 9] as [number, number] };
    const view = centreWindow(ranges, [10, 4]);
    expect((view.x[0] + view.x[1]) / 2).toBeCloseTo(10);
    expect(view.x[1] - view.x[0]).toBeCloseTo(12);
    // The whole height of a shallow drawing stays in view.
    expect(view.y).toEqual([-1, 9]);
    const edge = centreWindow(ranges, [49, 4]);
    expect(edge.x[1]).toBeCloseTo(50);
  });
});

describe('neighbours and find', () => {
  it('says a shared reason once, with every neighbour under it', () => {
    const agents = Array.from({ length: 12 }, (_, i) => agent(`m${i}`));
    const groups = groupNeighbours(topologyEdges('mesh', agents), 'm3');
    expect(groups).toHaveLength(1);
    expect(groups[0]?.ids).toHaveLength(11);
    const mixed = groupNeighbours(
      [
        { from: 'a', to: 'b', reason: 'x' },
        { from: 'c', to: 'a', reason: 'y' },
        { from: 'a', to: 'd', reason: 'x' },
        { from: 'e', to: 'f', reason: 'x' },
      ],
      'a',
    );
    expect(mixed).toEqual([
      { reason: 'x', ids: ['b', 'd'] },
      { reason: 'y', ids: ['c'] },
    ]);
  });

  it('finds an agent by its exact id before a prefix or a part, and the lead whose team holds it', () => {
    const agents = ['agent-1', 'agent-10', 'agent-100', 'reviewer-7'].map((id) => ({ id }));
    expect(findAgent(agents, 'agent-10')).toBe('agent-10');
    expect(findAgent(agents, 'AGENT-10')).toBe('agent-10');
    expect(findAgent(agents, 'review')).toBe('reviewer-7');
    expect(findAgent(agents, 'ewer')).toBe('reviewer-7');
    expect(findAgent(agents, 'nobody')).toBeUndefined();
    expect(findAgent(agents, '  ')).toBeUndefined();
    const teams = teamsOf(hierarchy(1000));
    const [lead, members] = [...teams][3] as [string, string[]];
    expect(leadOf(teams, members[0] as string)).toBe(lead);
  });
});
