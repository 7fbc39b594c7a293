import { useMemo } from 'react';
import { DataZoomSliderComponent, MarkPointComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { Anomaly } from '../../../../shared/analytics/anomaly';
import type { MetricBucket } from '../../../../shared/model/metrics';
import { useEChart } from '../../components/use-echart';
import { chartModel } from './chart-model';
import { formatValue, trendText } from './series-format';
import { seriesOption, type Threshold } from './series-option';

// The shared chart hook registers what every page uses; the slider and the markers are this page's.
echarts.use([DataZoomSliderComponent, MarkPointComponent]);

/** The latest anomalies in words, for an operator who does not hover the markers. */
function AnomalyList({ anomalies, unit }: { anomalies: readonly Anomaly[]; unit: string }) {
  return (
    <ul className="anomaly-list muted" data-testid="anomaly-list">
      {anomalies.slice(-3).map((a) => (
        <li key={a.t}>
          {new Date(a.t).toLocaleTimeString()}: {formatValue(a.value)} {unit}, expected {formatValue(a.lower)} … {formatValue(a.upper)}
        </li>
      ))}
    </ul>
  );
}

/**
 * One recorded series: average per bucket, p99 for latencies, the expected band, anomaly markers
 * (value and band in the tooltip), alert thresholds and the trend the fit supports.
 */
export function SeriesChart({
  title,
  unit,
  buckets,
  thresholds,
  from,
  to,
}: {
  title: string;
  unit: string;
  buckets: MetricBucket[];
  thresholds: Threshold[];
  from: number;
  to: number;
}) {
  const model = useMemo(() => chartModel(buckets, unit === 'ms'), [buckets, unit]);
  const option = useMemo(() => seriesOption({ model, unit, thresholds, from, to }), [model, unit, thresholds, from, to]);
  const ref = useEChart(option);
  const anomalies = model.anomalies.length;
  return (
    <section className="panel series-panel" data-testid="series-chart" data-series={title} data-band={model.bandLower.length}>
      <header className="panel-head">
        <h3 className="mono series-title">{title}</h3>
        <span className="muted">
          {anomalies > 0 && (
            <span className="sev sev-critical" data-testid="anomaly-count">
              {anomalies} anomal{anomalies === 1 ? 'y' : 'ies'}
            </span>
          )}{' '}
          {trendText(model.trend, unit)}
        </span>
      </header>
      <div ref={ref} className="chart series-chart" />
      {anomalies > 0 && <AnomalyList anomalies={model.anomalies} unit={unit} />}
    </section>
  );
}
