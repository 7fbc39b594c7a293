import { describe, expect, it } from 'vitest';
import { topologyEdges } from '../../src/main/features/swarms/topology';
import { graphLayout, graphOption, positions } from '../../src/renderer/src/features/swarms/topology-option';
import * as option from '../../src/renderer/src/features/swarms/topology-option';
import type { AgentView, SwarmDetail } from '../../src/shared/model/swarm';

const agent = (id: string): AgentView => ({
  id,
  role: id === 'agent-0' ? 'coordinator' : 'worker',
  type: 'worker',
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

/** The bench's mesh: a thousand agents, some nine thousand edges. */
function mesh(n: number): SwarmDetail {
  const agents = Array.from({ length: n }, (_, i) => agent(`agent-${i}`));
  return { topology: 'mesh', agents, edges: topologyEdges('mesh', agents) } as unknown as SwarmDetail;
}

interface SeriesLike {
  id?: string;
  zlevel?: number;
  data?: unknown[];
}
const seriesOf = (o: ReturnType<typeof graphOption>): SeriesLike[] => (o as { series: SeriesLike[] }).series;

describe('the option of a thousand-agent mesh', () => {
  const layout = graphLayout(mesh(1000), new Set(), undefined);
  const where = positions(layout);
  const series = seriesOf(graphOption({ layout, where, leader: undefined, selected: undefined }));
  const byId = new Map(series.map((s) => [s.id, s]));

  it('draws its edges on a canvas layer below the agents and apart from them, so hovering a node never repaints the edges', () => {
    const edges = byId.get('edges');
    const agents = byId.get('agents');
    expect(edges?.data?.length).toBeGreaterThan(5000);
    expect(edges?.zlevel).toBeTypeOf('number');
    expect(agents?.zlevel).toBeTypeOf('number');
    expect(edges?.zlevel ?? 0).toBeLessThan(agents?.zlevel ?? 0);
    expect(byId.get('pulses')?.zlevel ?? 0).toBeGreaterThan(agents?.zlevel ?? 0);
  });

  it('has a thinned edge set for a moving view: capped, and spread over the whole drawing rather than its first agents', () => {
    const full = option.batchedEdges(layout, where);
    const thin = option.sampleEvenly(full, option.MOVING_EDGES);
    expect(full.length).toBe(byId.get('edges')?.data?.length);
    expect(thin.length).toBe(option.MOVING_EDGES);
    const xs = (set: typeof full) => set.flatMap((s) => s.coords.map(([x]) => x));
    const span = (v: number[]) => Math.max(...v) - Math.min(...v);
    expect(span(xs(thin))).toBeGreaterThan(span(xs(full)) * 0.9);
    expect(thin[thin.length - 1]).toBe(full[Math.floor((option.MOVING_EDGES - 1) * (full.length / option.MOVING_EDGES))]);
    expect(option.sampleEvenly(full.slice(0, 10), option.MOVING_EDGES)).toEqual(full.slice(0, 10));
  });

  it('patches only the edges series', () => {
    const patch = option.edgesPatch([]) as { series: SeriesLike[] };
    expect(patch.series).toEqual([{ id: 'edges', data: [] }]);
  });

  it('draws no batched edges for a small graph (its graph series draws the links)', () => {
    const small = graphLayout(mesh(100), new Set(), undefined);
    expect(option.batchedEdges(small, positions(small))).toEqual([]);
  });
});
