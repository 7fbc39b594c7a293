import { useEffect, useRef, type MutableRefObject, type RefObject } from 'react';
import { getInstanceByDom } from 'echarts/core';
import type { Layout } from './graph-layout';
import type { LabelPainter } from './topology-labels';
import {
  axisRanges,
  batchedEdges,
  centreWindow,
  edgesPatch,
  MOVING_EDGES,
  sampleEvenly,
  type Segment,
  type Where,
} from './topology-option';

/** Wait this long after the view last moved before placing labels: a zoom in progress is not held up by them. */
const RELABEL_AFTER_MS = 90;
/** Put every edge back this long after the view last moved; until then a moving view draws a sample. */
const FULL_EDGES_AFTER_MS = 100;

export interface PictureEdges {
  full: Segment[];
  /** An even sample to draw while the view moves, when the full set is too many. */
  sparse?: Segment[];
}

/** This picture's edges, read by the view listeners at move time so they always swap between them. */
export function usePictureEdges(layout: Layout, where: Where): MutableRefObject<PictureEdges> {
  const edges = useRef<PictureEdges>({ full: [] });
  useEffect(() => {
    const full = batchedEdges(layout, where);
    edges.current = { full, sparse: full.length > MOVING_EDGES ? sampleEvenly(full, MOVING_EDGES) : undefined };
  }, [layout, where]);
  return edges;
}

/**
 * While the view moves a big graph draws a sample of its edges, and every edge once it settles;
 * the names follow the view and are re-placed once it settles.
 */
export function useViewMoves(
  chartRef: RefObject<HTMLDivElement | null>,
  wrapRef: RefObject<HTMLDivElement | null>,
  edges: MutableRefObject<PictureEdges>,
  painter: MutableRefObject<LabelPainter>,
): void {
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
    const wrap = wrapRef.current;
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
    // The refs are the chart's and the wrapper's for the component's life.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [chartRef]);
}

/** Centres the view on an agent when asked; a new request (another `at`) centres again. */
export function useCentreOn(
  chartRef: RefObject<HTMLDivElement | null>,
  centre: { id: string; at: number } | undefined,
  layout: Layout,
  where: Where,
): void {
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
}
