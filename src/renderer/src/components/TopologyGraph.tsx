import { useEffect, useMemo, useRef } from 'react';
import type { MessageView, SwarmDetail } from '../../../shared/model/swarm';
import { agentState, layoutSwarm, STATE_COLOURS, STATE_LABELS, type Layout } from './graph-layout';
import { useEChart, type ChartOption } from './use-echart';

interface Props {
  detail: SwarmDetail;
  collapsed: ReadonlySet<string>;
  /** Show only this agent and its neighbours. */
  focus?: string;
  selected?: string;
  pulses: MessageView[];
  onSelect(agentId: string): void;
  onToggleTeam(leadId: string): void;
}

function focused(layout: Layout, focus: string | undefined): Layout {
  if (!focus) return layout;
  const keep = new Set([focus]);
  for (const e of layout.edges) {
    if (e.from === focus) keep.add(e.to);
    if (e.to === focus) keep.add(e.from);
  }
  return { ...layout, nodes: layout.nodes.filter((n) => keep.has(n.id)), edges: layout.edges.filter((e) => keep.has(e.from) && keep.has(e.to)) };
}

const BIG = 300;

const escape = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The swarm as a graph: agents coloured by state and sized by load, edges from the topology,
 * a pulse along an edge when a message passes. Wheel zooms, drag pans, hover lights up a
 * node's neighbours, a click selects an agent (and folds or unfolds a team lead's team).
 */
export function TopologyGraph({ detail, collapsed, focus, selected, pulses, onSelect, onToggleTeam }: Props) {
  const layout = useMemo(() => focused(layoutSwarm(detail, collapsed), focus), [detail, collapsed, focus]);
  const ref = useRef<HTMLDivElement | null>(null);
  // Read by the tooltip at hover time, so a skipped redraw never shows stale heartbeats.
  const nodesNow = useRef(layout.nodes);
  useEffect(() => {
    nodesNow.current = layout.nodes;
  }, [layout]);
  const leader = detail.leader?.agent;
  const count = layout.nodes.length;
  // Past this many agents edges are drawn as one batched path and hover no longer dims the rest.
  const big = count > BIG;
  const where = useMemo(() => new Map(layout.nodes.map((n) => [n.id, [n.x, n.y] as [number, number]])), [layout]);
  /** What the picture depends on: when it is unchanged a refresh redraws nothing. */
  const signature = useMemo(
    () => `${leader ?? ''}|${selected ?? ''}|${layout.edges.length}|${layout.nodes.map((n) => `${n.id}:${agentState(n.agent)}:${Math.round(n.agent.load * 5)}:${n.hidden ?? ''}:${n.x.toFixed(2)},${n.y.toFixed(2)}`).join(';')}`,
    [layout, leader, selected],
  );
  const option = useMemo<ChartOption>(() => {
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
      tooltip: {
        confine: true,
        formatter: (p: { dataType?: string; name?: string; data?: { reason?: string } }) => {
          if (p.dataType === 'edge') return escape(p.data?.reason ?? '');
          const node = nodesNow.current.find((n) => n.id === p.name);
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
        },
      },
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
  }, [layout, where, leader, selected, count, big]);
  const patch = useMemo<ChartOption>(() => ({
    series: [{ id: 'pulses', data: pulses.flatMap((m) => {
      const a = where.get(m.from);
      const b = where.get(m.to);
      return a && b ? [{ coords: [a, b] }] : [];
    }) }],
  }), [pulses, where]);

  const chartRef = useEChart(option, {
    onClick: (p) => {
      if (p.seriesType !== 'graph' || p.dataType !== 'node' || !p.name) return;
      if (layout.teams.has(p.name)) onToggleTeam(p.name);
      onSelect(p.name);
    },
    onFirstRender: (ms) => ref.current?.setAttribute('data-first-render-ms', ms.toFixed(1)),
  }, { key: signature, patch });

  return (
    <div className="graph-wrap" ref={ref} data-testid="topology-graph" data-nodes={layout.nodes.length} data-edges={layout.edges.length}>
      <div className="graph" ref={chartRef} />
      <div className="graph-legend">
        {(['idle', 'busy', 'error', 'offline', 'silent'] as const).map((s) => (
          <span key={s}><i style={{ background: STATE_COLOURS[s] }} />{STATE_LABELS[s]}</span>
        ))}
        <span><i className="leader-ring" />leader</span>
        <span className="muted">size = load · wheel to zoom · drag to pan</span>
      </div>
    </div>
  );
}
