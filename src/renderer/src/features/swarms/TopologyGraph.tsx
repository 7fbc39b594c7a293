import { useEffect, useMemo, useRef } from 'react';
import { getInstanceByDom } from 'echarts/core';
import type { MessageView, SwarmDetail } from '../../../../shared/model/swarm';
import { useEChart, type ChartOption } from '../../components/use-echart';
import { placeLabels, type LabelCandidate } from './graph-labels';
import { STATE_COLOURS, STATE_LABELS } from './graph-layout';
import {
  axisRanges,
  batchedEdges,
  centreWindow,
  edgesPatch,
  graphLayout,
  graphOption,
  graphSignature,
  labelCandidates,
  MOVING_EDGES,
  positions,
  pulsePatch,
  sampleEvenly,
  tooltipHtml,
  type Segment,
  type TooltipTarget,
} from './topology-option';

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

/** Wait this long after the view last moved before placing labels: a zoom in progress is not held up by them. */
const RELABEL_AFTER_MS = 90;
/** Put every edge back this long after the view last moved; until then a moving view draws a sample. */
const FULL_EDGES_AFTER_MS = 100;

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
  // Read by the view listeners at move time, so they always swap between this picture's edges.
  const edges = useRef<{ full: Segment[]; sparse?: Segment[] }>({ full: [] });
  useEffect(() => {
    const full = batchedEdges(layout, where);
    edges.current = { full, sparse: full.length > MOVING_EDGES ? sampleEvenly(full, MOVING_EDGES) : undefined };
  }, [layout, where]);

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

  // Names are painted on a canvas over the chart, never through ECharts: re-placing them after a
  // zoom then costs a few hundred fillText calls, not a redraw of a thousand nodes and their edges.
  const overlay = useRef<HTMLCanvasElement | null>(null);
  const placed = useRef<LabelCandidate[]>([]);
  const painter = useRef<{ relabel(): void; paint(): void }>({ relabel: () => undefined, paint: () => undefined });
  useEffect(() => {
    const element = chartRef.current;
    const chart = element ? getInstanceByDom(element) : undefined;
    const toPixel = (): ((x: number, y: number) => [number, number]) | undefined => {
      const origin = chart?.convertToPixel({ gridIndex: 0 }, [0, 0]) as number[] | undefined;
      const unit = chart?.convertToPixel({ gridIndex: 0 }, [1, 1]) as number[] | undefined;
      if (!origin || !unit) return undefined;
      const [ox, oy, ux, uy] = [origin[0] ?? 0, origin[1] ?? 0, unit[0] ?? 0, unit[1] ?? 0];
      return (x, y) => [ox + x * (ux - ox), oy + y * (uy - oy)];
    };
    const nodes = new Map(layout.nodes.map((n) => [n.id, n]));
    const paint = (): void => {
      const canvas = overlay.current;
      const project = toPixel();
      if (!element || !canvas || !project) return;
      const [width, height, dpr] = [element.clientWidth, element.clientHeight, window.devicePixelRatio || 1];
      if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
        canvas.width = Math.round(width * dpr);
        canvas.height = Math.round(height * dpr);
        canvas.style.width = `${width}px`;
        canvas.style.height = `${height}px`;
      }
      const ctx = canvas.getContext('2d');
      if (!ctx) return;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, width, height);
      ctx.textBaseline = 'middle';
      for (const c of placed.current) {
        const n = nodes.get(c.id);
        if (!n) continue;
        const [x, y] = project(n.x, n.y);
        const left = x + c.r + 3;
        if (left > width || y < 0 || y > height) continue;
        ctx.font = `${c.id === selected ? 'bold ' : ''}10px sans-serif`;
        ctx.fillStyle = 'rgba(13,17,23,.88)';
        ctx.fillRect(left, y - 7, ctx.measureText(c.text).width + 6, 14);
        ctx.fillStyle = '#c9d1d9';
        ctx.fillText(c.text, left + 3, y);
      }
    };
    const relabel = (): void => {
      const project = toPixel();
      if (!element || !project) return;
      const candidates = labelCandidates(layout, leader, selected, project);
      const fit = new Set(placeLabels(candidates, { width: element.clientWidth, height: element.clientHeight }).map((b) => b.id));
      placed.current = candidates.filter((c) => fit.has(c.id));
      ref.current?.setAttribute('data-labels', String(fit.size));
      paint();
    };
    painter.current = { relabel, paint };
  });

  useEffect(() => {
    const element = chartRef.current;
    const chart = element ? getInstanceByDom(element) : undefined;
    if (!chart) return undefined;
    let seen = '';
    let timer: ReturnType<typeof setTimeout> | undefined;
    let thinned = false;
    let restore: ReturnType<typeof setTimeout> | undefined;
    const settle = (): void => {
      clearTimeout(restore);
      restore = setTimeout(() => {
        if (!thinned) return;
        thinned = false;
        chart.setOption(edgesPatch(edges.current.full), { lazyUpdate: true });
      }, FULL_EDGES_AFTER_MS);
    };
    // Caught before ECharts sees the wheel or drag, so the very first step of a move already
    // draws the sample; a wheel that moves nothing (zoomed all the way out) still settles.
    const onMove = (event: WheelEvent | PointerEvent): void => {
      const sparse = edges.current.sparse;
      if (!sparse || (event.type === 'pointermove' && (event as PointerEvent).buttons === 0)) return;
      if (!thinned) {
        thinned = true;
        chart.setOption(edgesPatch(sparse), { lazyUpdate: true });
      }
      settle();
    };
    const wrap = ref.current;
    wrap?.addEventListener('wheel', onMove, { capture: true, passive: true });
    wrap?.addEventListener('pointermove', onMove, { capture: true, passive: true });
    // 'rendered' comes every frame while pulses run; only a moved view (zoom, pan, resize)
    // repaints the names where their nodes now are, and re-places them once it settles.
    const onRendered = (): void => {
      const a = chart.convertToPixel({ gridIndex: 0 }, [0, 0]) as number[] | undefined;
      const b = chart.convertToPixel({ gridIndex: 0 }, [1, 1]) as number[] | undefined;
      const view = `${a?.join()}|${b?.join()}`;
      if (view === seen) return;
      seen = view;
      painter.current.paint();
      clearTimeout(timer);
      timer = setTimeout(() => painter.current.relabel(), RELABEL_AFTER_MS);
      if (thinned) settle();
    };
    chart.on('rendered', onRendered);
    return () => {
      clearTimeout(timer);
      clearTimeout(restore);
      wrap?.removeEventListener('wheel', onMove, { capture: true });
      wrap?.removeEventListener('pointermove', onMove, { capture: true });
      chart.off('rendered', onRendered);
    };
  }, [chartRef]);

  // A new picture (fold, selection, refresh that moved something) gets its names once drawn.
  useEffect(() => {
    const frame = requestAnimationFrame(() => painter.current.relabel());
    return () => cancelAnimationFrame(frame);
  }, [signature]);

  useEffect(() => {
    if (!centre) return undefined;
    const point = where.get(centre.id);
    const element = chartRef.current;
    if (!point || !element) return undefined;
    // After the option of this render is applied (lazily), or it would reset the window.
    const frame = requestAnimationFrame(() => {
      const chart = getInstanceByDom(element);
      const view = centreWindow(axisRanges(layout), point);
      chart?.dispatchAction({ type: 'dataZoom', dataZoomIndex: 0, startValue: view.x[0], endValue: view.x[1] });
      chart?.dispatchAction({ type: 'dataZoom', dataZoomIndex: 1, startValue: view.y[0], endValue: view.y[1] });
    });
    return () => cancelAnimationFrame(frame);
    // Only a new request centres: later refreshes must not pull the operator's view back.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [centre]);

  return (
    <div className="graph-wrap" ref={ref} data-testid="topology-graph" data-nodes={layout.nodes.length} data-edges={layout.edges.length}>
      <div className="graph" ref={chartRef} />
      <canvas ref={overlay} aria-hidden="true" style={{ position: 'absolute', left: 0, top: 0, pointerEvents: 'none' }} />
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
    </div>
  );
}
