import type { MessageView, SwarmDetail } from '../../../../shared/model/swarm';
import type { ChartOption } from '../../components/use-echart';
import { agentState, layoutSwarm, STATE_COLOURS, STATE_LABELS, type Layout, type PlacedNode } from './graph-layout';

/** Past this many agents edges are drawn as one batched path and hover no longer dims the rest. */
const BIG = 300;

export type Where = Map<string, [number, number]>;

/** Only `focus` and its neighbours, when set. */
function focused(layout: Layout, focus: string | undefined): Layout {
  if (!focus) return layout;
  const keep = new Set([focus]);
  for (const e of layout.edges) {
    if (e.from === focus) keep.add(e.to);
    if (e.to === focus) keep.add(e.from);
  }
  return { ...layout, nodes: layout.nodes.filter((n) => keep.has(n.id)), edges: layout.edges.filter((e) => keep.has(e.from) && keep.has(e.to)) };
}

const escape = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The layout the graph draws: the swarm laid out, folded teams hidden, focus applied. */
export const graphLayout = (detail: SwarmDetail, collapsed: ReadonlySet<string>, focus: string | undefined): Layout => focused(layoutSwarm(detail, collapsed), focus);

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
export function graphOption({ layout, where, leader, selected }: OptionInput): ChartOption {
  const count = layout.nodes.length;
  const big = count > BIG;
  const base = count <= 40 ? 16 : count <= 250 ? 10 : 6;
  const xs = layout.nodes.map((n) => n.x);
  const ys = layout.nodes.map((n) => n.y);
  const pad = (lo: number, hi: number): [number, number] => {
    const span = Math.max(1, hi - lo);
    return [lo - span * 0.08, hi + span * 0.08];
  };
  const [xMin, xMax] = pad(Math.min(0, ...xs), Math.max(0, ...xs));
  const [yMin, yMax] = pad(Math.min(0, ...ys), Math.max(0, ...ys));
  const segment = (from: string, to: string): { coords: [number, number][] }[] => {
    const a = where.get(from);
    const b = where.get(to);
    return a && b ? [{ coords: [a, b] }] : [];
  };
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
        lineStyle: { color: '#3d444d', width: 0.6, opacity: 0.8 },
        data: big ? layout.edges.flatMap((e) => segment(e.from, e.to)) : [],
      },
      {
        id: 'agents',
        type: 'graph',
        coordinateSystem: 'cartesian2d',
        layout: 'none',
        data: layout.nodes.map((n) => {
          const state = agentState(n.agent);
          const size = n.hidden ? base + 10 : base * (0.7 + n.agent.load * 0.8);
          return {
            name: n.id,
            value: [n.x, n.y],
            symbol: n.hidden ? 'roundRect' : 'circle',
            symbolSize: n.id === selected ? size + 6 : size,
            itemStyle: {
              color: STATE_COLOURS[state],
              borderColor: n.id === leader ? '#e3b341' : n.id === selected ? '#f0f6fc' : 'rgba(13,17,23,.9)',
              borderWidth: n.id === leader || n.id === selected ? 3 : 1,
              opacity: state === 'offline' || state === 'silent' ? 0.75 : 1,
            },
            label: {
              show: count <= 60 || n.lead === true || n.id === leader || n.id === selected,
              formatter: n.hidden ? `${n.id} (+${n.hidden})` : n.id === leader ? `★ ${n.id}` : n.id,
            },
          };
        }),
        links: big ? [] : layout.edges.map((e) => ({ source: e.from, target: e.to, reason: e.reason })),
        label: { position: 'right', fontSize: 10, color: '#c9d1d9' },
        lineStyle: { color: '#3d444d', width: 1, opacity: 0.8 },
        emphasis: big ? { focus: 'none', scale: 1.6 } : { focus: 'adjacency', lineStyle: { width: 2, color: '#8b949e' } },
        z: 2,
      },
      {
        id: 'pulses',
        type: 'lines',
        coordinateSystem: 'cartesian2d',
        zlevel: 1,
        silent: true,
        effect: { show: true, period: 0.8, trailLength: 0.35, symbol: 'circle', symbolSize: 5, color: '#a5d6ff' },
        lineStyle: { color: '#58a6ff', width: 1.5, opacity: 0.5 },
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
  series: [{ id: 'pulses', data: pulses.flatMap((m) => {
    const a = where.get(m.from);
    const b = where.get(m.to);
    return a && b ? [{ coords: [a, b] }] : [];
  }) }],
});
