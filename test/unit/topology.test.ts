import { describe, expect, it } from 'vitest';
import { adjacency, teamsOf, topologyEdges, type Member } from '../../src/main/features/swarms/topology';
import { MESH_GROUP } from '../../src/shared/model/swarm';

const agents = (n: number, role = 'worker'): Member[] => Array.from({ length: n }, (_, i) => ({ id: `a${i}`, role }));
const pairs = (edges: { from: string; to: string }[]) => edges.map((e) => `${e.from}-${e.to}`).sort();

describe('topology edges', () => {
  it('connects every pair of a small mesh and says why', () => {
    const edges = topologyEdges('mesh', agents(5));
    expect(edges).toHaveLength(10);
    expect(edges[0]?.reason).toMatch(/every agent talks to every other/);
  });

  it('splits a large mesh into groups joined through their gateways', () => {
    const n = 40;
    const edges = topologyEdges('mesh', agents(n));
    const groups = [16, 16, 8];
    const within = groups.reduce((sum, g) => sum + (g * (g - 1)) / 2, 0);
    expect(edges).toHaveLength(within + 3);
    const links = adjacency(edges);
    // a1 (group 1) reaches a17 (group 2) only through the gateways a0 and a16.
    expect(links.get('a1')?.has('a17')).toBe(false);
    expect(links.get('a0')?.get(`a${MESH_GROUP}`)).toMatch(/gateways/);
  });

  it('closes a ring and draws a single edge between two agents', () => {
    expect(pairs(topologyEdges('ring', agents(4)))).toEqual(['a0-a1', 'a1-a2', 'a2-a3', 'a3-a0']);
    expect(topologyEdges('ring', agents(2))).toHaveLength(1);
    expect(topologyEdges('ring', agents(1))).toEqual([]);
  });

  it('puts the coordinator at the hub of a star', () => {
    const members = [...agents(3), { id: 'hub', role: 'coordinator' }];
    expect(pairs(topologyEdges('star', members))).toEqual(['hub-a0', 'hub-a1', 'hub-a2']);
  });

  it('builds coordinator → leads → workers, honouring declared teams and dealing the rest', () => {
    const members: Member[] = [
      { id: 'boss', role: 'coordinator' },
      { id: 'lead-a', role: 'lead' },
      { id: 'lead-b', role: 'lead' },
      { id: 'w1', role: 'worker', team: 'lead-b' },
      { id: 'w2', role: 'worker' },
      { id: 'w3', role: 'worker' },
      { id: 'w4', role: 'worker', team: 'no-such-lead' },
    ];
    const edges = topologyEdges('hierarchical', members);
    expect(pairs(edges)).toEqual(['boss-lead-a', 'boss-lead-b', 'lead-a-w2', 'lead-a-w4', 'lead-b-w1', 'lead-b-w3']);
    expect(edges.find((e) => e.to === 'w1')?.reason).toBe("hierarchy: w1 works in lead-b's team");
    expect(teamsOf(members).teamOf.get('w1')).toBe('lead-b');
  });

  it('lets the coordinator direct workers directly when there are no leads', () => {
    expect(pairs(topologyEdges('hierarchical', agents(3)))).toEqual(['a0-a1', 'a0-a2']);
  });
});
