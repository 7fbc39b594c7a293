import { useEffect, useRef, type MutableRefObject, type RefObject } from 'react';
import { getInstanceByDom } from 'echarts/core';
import { placeLabels, type LabelCandidate } from './graph-labels';
import type { Layout, PlacedNode } from './graph-layout';
import { labelCandidates } from './topology-option';

export interface LabelPainter {
  /** Chooses which names fit the view now, then paints them. */
  relabel(): void;
  /** Paints the names already chosen where their nodes now are. */
  paint(): void;
}

type Project = (x: number, y: number) => [number, number];

/** The chart's data-to-pixel mapping as it is now, or undefined before the chart has a grid. */
function projection(element: HTMLDivElement | null): Project | undefined {
  const chart = element ? getInstanceByDom(element) : undefined;
  const origin = chart?.convertToPixel({ gridIndex: 0 }, [0, 0]) as number[] | undefined;
  const unit = chart?.convertToPixel({ gridIndex: 0 }, [1, 1]) as number[] | undefined;
  if (!origin || !unit) return undefined;
  const [ox, oy, ux, uy] = [origin[0] ?? 0, origin[1] ?? 0, unit[0] ?? 0, unit[1] ?? 0];
  return (x, y) => [ox + x * (ux - ox), oy + y * (uy - oy)];
}

/** Each chosen name on a plate right of its node, on a canvas sized to the chart. */
function paintLabels(
  canvas: HTMLCanvasElement,
  element: HTMLDivElement,
  project: Project,
  placed: LabelCandidate[],
  nodes: Map<string, PlacedNode>,
  selected: string | undefined,
): void {
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
  for (const c of placed) {
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
}

/**
 * Names are painted on a canvas over the chart, never through ECharts: re-placing them after a
 * zoom then costs a few hundred fillText calls, not a redraw of a thousand nodes and their edges.
 * The painter is rebuilt every render, so it always paints this render's layout and selection;
 * a new picture (fold, selection, refresh that moved something) gets its names once drawn.
 */
export function useLabelPainter(
  chartRef: RefObject<HTMLDivElement | null>,
  wrapRef: RefObject<HTMLDivElement | null>,
  overlay: RefObject<HTMLCanvasElement | null>,
  { layout, leader, selected, signature }: { layout: Layout; leader: string | undefined; selected: string | undefined; signature: string },
): MutableRefObject<LabelPainter> {
  const placed = useRef<LabelCandidate[]>([]);
  const painter = useRef<LabelPainter>({ relabel: () => undefined, paint: () => undefined });
  useEffect(() => {
    const element = chartRef.current;
    const nodes = new Map(layout.nodes.map((n) => [n.id, n]));
    const paint = (): void => {
      const canvas = overlay.current;
      const project = projection(element);
      if (!element || !canvas || !project) return;
      paintLabels(canvas, element, project, placed.current, nodes, selected);
    };
    const relabel = (): void => {
      const project = projection(element);
      if (!element || !project) return;
      const candidates = labelCandidates(layout, leader, selected, project);
      const fit = new Set(placeLabels(candidates, { width: element.clientWidth, height: element.clientHeight }).map((b) => b.id));
      placed.current = candidates.filter((c) => fit.has(c.id));
      wrapRef.current?.setAttribute('data-labels', String(fit.size));
      paint();
    };
    painter.current = { relabel, paint };
  });
  useEffect(() => {
    const frame = requestAnimationFrame(() => painter.current.relabel());
    return () => cancelAnimationFrame(frame);
  }, [signature]);
  return painter;
}
