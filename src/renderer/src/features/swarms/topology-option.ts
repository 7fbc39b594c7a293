import type { MessageView, SwarmDetail } from '../../../../shared/model/swarm';
import type { ChartOption } from '../../components/chart-option';
import { palette } from '../../styles/palette';
import { agentState, layoutSwarm, STATE_COLOURS, STATE_LABELS, type Layout, type PlacedNode } from './graph-layout';
import type { LabelCandidate } from './graph-labels';

/** Past this many agents edges are drawn as one batched path and hover no longer dims the rest. */
const BIG = 300;

/**
 * While the view moves, at most this many batched edges are drawn: a 1,000-agent mesh has
 * ~9,500, and redrawing them all on every zoom or pan step took 67–233 ms a frame.
 */
export const MOVING_EDGES = 1200;

export type Where = Map<string, [number, number]>;

/** Only `focus` and its neighbours, when set. */
function focused(layout: Layout, focus: string | undefined): Layout {
  if (!focus) return layout;
  const keep = new Set([focus]);
  for (const e of layout.edges) {
    if (e.from === focus) keep.add(e.to);
    if (e.to === focus) keep.add(e.from);
  }
  return {
    ...layout,
    nodes: layout.nodes.filter((n) => keep.has(n.id)),
    edges: layout.edges.filter((e) => keep.has(e.from) && keep.has(e.to)),
  };
}

const escape = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The layout the graph draws: the swarm laid out, folded teams hidden, focus applied. */
export const graphLayout = (detail: SwarmDetail, collapsed: ReadonlySet<string>, focus: string | undefined): Layout =>
  focused(layoutSwarm(detail, collapsed), focus);

export const positions = (layout: Layout): Where => new Map(layout.nodes.map((n) => [n.id, [n.x, n.y] as [number, number]]));

/** What the picture depends on: when it is unchanged a refresh redraws nothing. */
export const graphSignature = (layout: Layout, leader: string | undefined, selected: string | undefined): string =>
  `${leader ?? ''}|${selected ?? ''}|${layout.edges.length}|${layout.nodes.map((n) => `${n.id}:${agentState(n.agent)}:${Math.round(n.agent.load * 5)}:${n.hidden ?? ''}:${n.x.toFixed(2)},${n.y.toFixed(2)}`).join(';')}`;

interface OptionInput {
  layout: Layout;
  where: Where;
  leader: string | undefined;
  selected: string | undefined;
}

/** The chart but its tooltip: batched edges for big graphs, agents as a graph series, an empty pulse layer. */
/** The whole drawing, padded: the axes' fixed extent, which zooming narrows. */
export function axisRanges(layout: Layout): { x: [number, number]; y: [number, number] } {
  let [x0, x1, y0, y1] = [0, 0, 0, 0];
  for (const n of layout.nodes) {
    x0 = Math.min(x0, n.x);
    x1 = Math.max(x1, n.x);
    y0 = Math.min(y0, n.y);
    y1 = Math.max(y1, n.y);
  }
  const pad = (lo: number, hi: number): [number, number] => {
    const span = Math.max(1, hi - lo);
    return [lo - span * 0.08, hi + span * 0.08];
  };
  return { x: pad(x0, x1), y: pad(y0, y1) };
}

/**
 * The zoom window that puts a point in the middle: a dozen layout units each way (a few
 * teams; a shallow hierarchy keeps its whole height), clamped to the drawing.
 */
export function centreWindow(
  ranges: { x: [number, number]; y: [number, number] },
  at: [number, number],
  across = 12,
): { x: [number, number]; y: [number, number] } {
  const fit = ([lo, hi]: [number, number], c: number): [number, number] => {
    const half = Math.min(hi - lo, across) / 2;
    const mid = Math.min(hi - half, Math.max(lo + half, c));
    return [mid - half, mid + half];
  };
  return { x: fit(ranges.x, at[0]), y: fit(ranges.y, at[1]) };
}

/** Smaller symbols as nodes get closer: 84 folded teams side by side must not overlap. */
const baseSize = (count: number): number => (count <= 40 ? 16 : count <= 80 ? 10 : count <= 250 ? 8 : 6);

/** A node's symbol size: a folded team is a square a little larger, load grows the rest, the selected agent is larger. */
function nodeSize(n: PlacedNode, base: number, selected: string | undefined): number {
  const size = n.hidden ? base + Math.min(10, base / 2) : base * (0.7 + n.agent.load * 0.8);
  return n.id === selected ? size + 6 : size;
}

const labelText = (n: PlacedNode, leader: string | undefined): string =>
  n.hidden ? `${n.id} (+${n.hidden})` : n.id === leader ? `★ ${n.id}` : n.id;

/**
 * Every node as a label that may be drawn, at its pixel position under the current zoom:
 * the selected agent first, then the leader, team leads and the coordinator, then the rest.
 */
export function labelCandidates(
  layout: Layout,
  leader: string | undefined,
  selected: string | undefined,
  toPixel: (x: number, y: number) => [number, number],
): LabelCandidate[] {
  const base = baseSize(layout.nodes.length);
  return layout.nodes.map((n) => {
    const [x, y] = toPixel(n.x, n.y);
    const rank = n.id === selected ? 0 : n.id === leader ? 1 : n.lead || n.agent.role === 'coordinator' ? 2 : 3;
    return { id: n.id, text: labelText(n, leader), x, y, r: nodeSize(n, base, selected) / 2, rank };
  });
}

export type Segment = { coords: [number, number][] };

/** The edges of a big graph as segments of the batched `lines` series; none for a small one (the graph series draws its links). */
export function batchedEdges(layout: Layout, where: Where): Segment[] {
  if (layout.nodes.length <= BIG) return [];
  return layout.edges.flatMap((e) => {
    const a = where.get(e.from);
    const b = where.get(e.to);
    return a && b ? [{ coords: [a, b] }] : [];
  });
}

/** Every k-th item, at most `max`: spread over the whole list, so a thinned mesh still covers the whole drawing. */
export function sampleEvenly<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const step = items.length / max;
  return Array.from({ length: max }, (_, i) => items[Math.floor(i * step)] as T);
}

/** Only the batched edges, replaced without re-applying the rest of the option. */
export const edgesPatch = (segments: Segment[]): ChartOption => ({ series: [{ id: 'edges', data: segments }] });

export function graphOption({ layout, where, leader, selected }: OptionInput): ChartOption {
  const count = layout.nodes.length;
  const big = count > BIG;
  const base = baseSize(count);
  const {
    x: [xMin, xMax],
    y: [yMin, yMax],
  } = axisRanges(layout);
  return {
    animation: !big,
    grid: { left: 8, right: 8, top: 8, bottom: 8 },
    xAxis: { type: 'value', show: false, min: xMin, max: xMax },
    yAxis: { type: 'value', show: false, min: yMin, max: yMax, inverse: true },
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
      { type: 'inside', yAxisIndex: 0, filterMode: 'none' },
    ],
    series: [
      {
        id: 'edges',
        type: 'lines',
        coordinateSystem: 'cartesian2d',
        large: big,
        largeThreshold: 0,
        silent: true,
        // A canvas layer of their own: hovering a node repaints the agents' layer, not thousands of edges.
        zlevel: 0,
        lineStyle: { color: palette.edge, width: 0.6, opacity: 0.8 },
        data: batchedEdges(layout, where),
      },
      {
        id: 'agents',
        type: 'graph',
        coordinateSystem: 'cartesian2d',
        layout: 'none',
        data: layout.nodes.map((n) => {
          const state = agentState(n.agent);
          return {
            name: n.id,
            value: [n.x, n.y],
            symbol: n.hidden ? 'roundRect' : 'circle',
            symbolSize: nodeSize(n, base, selected),
            itemStyle: {
              color: STATE_COLOURS[state],
              borderColor: n.id === leader ? palette.gold : n.id === selected ? palette.textStrong : palette.bgA90,
              borderWidth: n.id === leader || n.id === selected ? 3 : 1,
              opacity: state === 'offline' || state === 'silent' ? 0.75 : 1,
            },
          };
        }),
        links: big ? [] : layout.edges.map((e) => ({ source: e.from, target: e.to, reason: e.reason })),
        // Names are drawn over the chart by TopologyGraph, only where they fit.
        label: { show: false },
        lineStyle: { color: palette.edge, width: 1, opacity: 0.8 },
        emphasis: big ? { focus: 'none', scale: 1.6 } : { focus: 'adjacency', lineStyle: { width: 2, color: palette.muted } },
        zlevel: 1,
        z: 2,
      },
      {
        id: 'pulses',
        type: 'lines',
        coordinateSystem: 'cartesian2d',
        zlevel: 2,
        silent: true,
        effect: { show: true, period: 0.8, trailLength: 0.35, symbol: 'circle', symbolSize: 5, color: palette.accentLighter },
        lineStyle: { color: palette.accent, width: 1.5, opacity: 0.5 },
        data: [],
      },
    ],
  };
}

export interface TooltipTarget {
  dataType?: string;
  name?: string;
  data?: { reason?: string };
}

/** An edge's reason, or an agent's facts as they are now (`node` is looked up at hover time). */
export function tooltipHtml(p: TooltipTarget, node: PlacedNode | undefined, leader: string | undefined): string {
  if (p.dataType === 'edge') return escape(p.data?.reason ?? '');
  if (!node) return '';
  const a = node.agent;
  const lines = [
    `<b>${escape(a.id)}</b>${a.id === leader ? ' ★ leader' : ''}`,
    `${escape(a.role)} · ${escape(a.type)} · ${STATE_LABELS[agentState(a)]}`,
    `load ${(a.load * 100).toFixed(0)} %${a.task ? ` · task ${escape(a.task)}` : ''}`,
    a.heartbeatAgeMs === undefined ? 'no heartbeat yet' : `heartbeat ${(a.heartbeatAgeMs / 1000).toFixed(1)} s ago`,
  ];
  if (node.hidden) lines.push(`team of ${node.hidden} folded — click to unfold`);
  return lines.join('<br/>');
}

/** Only the pulse layer: messages along edges, patched without redrawing the graph. */
export const pulsePatch = (pulses: MessageView[], where: Where): ChartOption => ({
  series: [
    {
      id: 'pulses',
      data: pulses.flatMap((m) => {
        const a = where.get(m.from);
        const b = where.get(m.to);
        return a && b ? [{ coords: [a, b] }] : [];
      }),
    },
  ],
});
