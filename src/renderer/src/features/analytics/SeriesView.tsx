import { unitOf } from '../../../../shared/analytics/report';
import type { AlertRule, SeriesInfo } from '../../../../shared/model/metrics';
import { RANGES, scopeForSubject, type ScopedSeries } from './chart-model';
import { FindingsPanel } from './FindingsPanel';
import { ReportButton } from './ReportButton';
import { SeriesChart } from './SeriesChart';
import { thresholdsOf } from './series-option';
import { seriesKey, type LoadedWindow, type SeriesAnalytics, type TimeWindow } from './use-series-analytics';

interface ProfileProps {
  profileId: string;
  profileName: string;
}

const clock = (t: number): string => new Date(t).toLocaleTimeString();

/** Range, live or fixed, drill-down scope, the window read, and its report. */
function SeriesToolbar({ profileId, profileName, analytics }: ProfileProps & { analytics: SeriesAnalytics }) {
  const { time, scopes, scope, setScopeKey, current } = analytics;
  return (
    <div className="analytics-toolbar">
      <div className="segmented" aria-label="Time range">
        {RANGES.map((r) => (
          <button key={r.id} type="button" className={r.id === time.rangeId ? 'active' : ''} onClick={() => time.chooseRange(r.id)}>
            {r.label}
          </button>
        ))}
      </div>
      <label className="toggle analytics-live">
        <input type="checkbox" checked={time.live} onChange={(e) => time.setLive(e.target.checked)} /> live
      </label>
      <label className="inline muted">
        Drill down
        <select className="switcher" aria-label="Drill down" value={scope?.key ?? 'all'} onChange={(e) => setScopeKey(e.target.value)}>
          {scopes.map((s) => (
            <option key={s.key} value={s.key}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <span className="muted">
        {time.range.resolution} buckets
        {current ? ` · ${clock(current.from)} – ${clock(current.to)}` : ''}
      </span>
      <ReportButton profileId={profileId} profileName={profileName} rangeMs={time.range.ms} anchor={time.live ? undefined : time.anchor} />
    </div>
  );
}

const sameChart = (a: ScopedSeries, b: ScopedSeries): boolean =>
  a.series === b.series && JSON.stringify(a.tags ?? {}) === JSON.stringify(b.tags ?? {});

/** One chart per series in scope, over the loaded window (or the chosen one, until it loads). */
function SeriesCharts({
  series,
  shown,
  rules,
  current,
  time,
}: {
  series: SeriesInfo[];
  shown: ScopedSeries[];
  rules: AlertRule[];
  current: LoadedWindow | undefined;
  time: TimeWindow;
}) {
  return (
    <div className="analytics-charts">
      {series.length === 0 && (
        <p className="muted">
          No series recorded yet: Swarmdeck records Redis, queue and swarm figures while a writable profile is connected, and agents record
          their own with the SDK's Metrics.
        </p>
      )}
      {shown.map((s) => (
        <SeriesChart
          key={seriesKey(s)}
          title={s.label}
          unit={unitOf(s.series)}
          buckets={current?.data.find((x) => sameChart(x.s, s))?.buckets ?? []}
          thresholds={thresholdsOf(rules, s)}
          from={current?.from ?? time.anchor - time.range.ms}
          to={current?.to ?? time.anchor}
        />
      ))}
    </div>
  );
}

/** The Series tab: the toolbar, the charts in scope and the window's findings beside them. */
export function SeriesView({ profileId, profileName, analytics }: ProfileProps & { analytics: SeriesAnalytics }) {
  const { series, shown, rules, current, time, scopes, setScopeKey, analysis, error } = analytics;
  return (
    <>
      <SeriesToolbar profileId={profileId} profileName={profileName} analytics={analytics} />
      {error && <div className="notice notice-error">{error}</div>}
      <div className="analytics-grid">
        <SeriesCharts series={series} shown={shown} rules={rules} current={current} time={time} />
        <FindingsPanel
          view={analysis.view}
          error={analysis.error}
          onDrill={(subject) => {
            const target = scopeForSubject(scopes, subject);
            if (target) setScopeKey(target.key);
          }}
        />
      </div>
    </>
  );
}
