import { useEffect, useMemo, useRef } from 'react';
import type { MessageView, SwarmDetail } from '../../../../shared/model/swarm';
import { useEChart, type ChartOption } from '../../components/use-echart';
import { STATE_COLOURS, STATE_LABELS } from './graph-layout';
import { useLabelPainter } from './topology-labels';
import { graphLayout, graphOption, graphSignature, positions, pulsePatch, tooltipHtml, type TooltipTarget } from './topology-option';
import { useCentreOn, usePictureEdges, useViewMoves } from './topology-view';

interface Props {
  detail: SwarmDetail;
  collapsed: ReadonlySet<string>;
  /** Show only this agent and its neighbours. */
  focus?: string;
  selected?: string;
  /** Centre the view on this agent; a new request (another `at`) centres again. */
  centre?: { id: string; at: number };
  pulses: MessageView[];
  onSelect(agentId: string): void;
  onToggleTeam(leadId: string): void;
}

/**
 * The swarm as a graph: agents coloured by state and sized by load, edges from the topology,
 * a pulse along an edge when a message passes. Wheel zooms, drag pans, hover lights up a
 * node's neighbours, a click selects an agent (and folds or unfolds a team lead's team).
 * Names are placed only where they fit, again whenever the view settles after a zoom or pan,
 * and painted above the message pulses, on a plate, so no pulse runs through a name.
 */
export function TopologyGraph({ detail, collapsed, focus, selected, centre, pulses, onSelect, onToggleTeam }: Props) {
  const layout = useMemo(() => graphLayout(detail, collapsed, focus), [detail, collapsed, focus]);
  const ref = useRef<HTMLDivElement | null>(null);
  // Read by the tooltip at hover time, so a skipped redraw never shows stale heartbeats.
  const nodesNow = useRef(layout.nodes);
  useEffect(() => {
    nodesNow.current = layout.nodes;
  }, [layout]);
  const leader = detail.leader?.agent;
  const where = useMemo(() => positions(layout), [layout]);
  const signature = useMemo(() => graphSignature(layout, leader, selected), [layout, leader, selected]);
  const option = useMemo<ChartOption>(
    () => ({
      ...graphOption({ layout, where, leader, selected }),
      tooltip: {
        confine: true,
        formatter: (p: TooltipTarget) =>
          tooltipHtml(
            p,
            nodesNow.current.find((n) => n.id === p.name),
            leader,
          ),
      },
    }),
    [layout, where, leader, selected],
  );
  const patch = useMemo(() => pulsePatch(pulses, where), [pulses, where]);
  const edges = usePictureEdges(layout, where);

  const chartRef = useEChart(
    option,
    {
      onClick: (p) => {
        if (p.seriesType !== 'graph' || p.dataType !== 'node' || !p.name) return;
        if (layout.teams.has(p.name)) onToggleTeam(p.name);
        onSelect(p.name);
      },
      onFirstRender: (ms) => ref.current?.setAttribute('data-first-render-ms', ms.toFixed(1)),
    },
    { key: signature, patch },
  );

  const overlay = useRef<HTMLCanvasElement | null>(null);
  const painter = useLabelPainter(chartRef, ref, overlay, { layout, leader, selected, signature });
  useViewMoves(chartRef, ref, edges, painter);
  useCentreOn(chartRef, centre, layout, where);

  return (
    <div className="graph-wrap" ref={ref} data-testid="topology-graph" data-nodes={layout.nodes.length} data-edges={layout.edges.length}>
      <div className="graph" ref={chartRef} />
      <canvas ref={overlay} aria-hidden="true" style={{ position: 'absolute', left: 0, top: 0, pointerEvents: 'none' }} />
      <GraphLegend />
    </div>
  );
}

function GraphLegend() {
  return (
    <div className="graph-legend">
      {(['idle', 'busy', 'error', 'offline', 'silent'] as const).map((s) => (
        <span key={s}>
          <i style={{ background: STATE_COLOURS[s] }} />
          {STATE_LABELS[s]}
        </span>
      ))}
      <span>
        <i className="leader-ring" />
        leader
      </span>
      <span className="muted">size = load · wheel to zoom · drag to pan · more names as you zoom in</span>
    </div>
  );
}
