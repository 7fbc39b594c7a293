import { useMemo, useState } from 'react';
import type { AnalyticsView } from '../../../../shared/analytics/report';
import { unitOf } from '../../../../shared/analytics/report';
import { RESOLUTION_MS, type AlertRule, type MetricBucket, type SeriesInfo } from '../../../../shared/model/metrics';
import type { LiveConnection } from '../../app/page';
import { errorText } from '../../components/notice';
import { usePoll } from '../../components/use-poll';
import { transport } from '../../transport';
import { AlertsView } from './AlertsView';
import { RANGES, ruleApplies, scopeForSubject, scopesOf, seriesInScope, type ScopedSeries } from './chart-model';
import { FindingsPanel } from './FindingsPanel';
import { ReportButton } from './ReportButton';
import { SeriesChart, type Threshold } from './SeriesChart';
import { useAlerts } from './alerts-store';

const LIVE_MS = 5000;
const ANALYSIS_MS = 30_000;

interface Loaded {
  key: string;
  from: number;
  to: number;
  data: { s: ScopedSeries; buckets: MetricBucket[] }[];
}

export function AnalyticsPage({ connection: { profileId, profile } }: { connection: LiveConnection }) {
  const [tab, setTab] = useState<'series' | 'alerts'>('series');
  const [rangeId, setRangeId] = useState('15m');
  const [live, setLive] = useState(true);
  const [scopeKey, setScopeKey] = useState('all');
  const [series, setSeries] = useState<SeriesInfo[]>([]);
  const [rules, setRules] = useState<AlertRule[]>([]);
  const [loaded, setLoaded] = useState<Loaded>();
  const [analysis, setAnalysis] = useState<{ view?: AnalyticsView; error?: string }>({});
  const [error, setError] = useState<string>();
  // A fixed window stays where it was chosen; live mode slides it to now on every poll.
  const [anchor, setAnchor] = useState(() => Date.now());
  const firing = useAlerts((s) => s.firing[profileId] ?? 0);

  const range = RANGES.find((r) => r.id === rangeId) ?? RANGES[0] ?? { id: '15m', label: '15 min', ms: 900_000, resolution: '1s' as const };
  const scopes = useMemo(() => scopesOf(series), [series]);
  const scope = scopes.find((s) => s.key === scopeKey) ?? scopes[0];
  const shown = useMemo(() => (scope ? seriesInScope(series, scope) : []), [series, scope]);
  const shownKey = shown.map((s) => `${s.series}${JSON.stringify(s.tags ?? {})}`).join('|');

  // Right after a connect nothing is recorded yet: look again soon, not in half a minute.
  usePoll(
    () => {
      transport.call('metrics.series', { profileId }).then(setSeries, (e: unknown) => setError(errorText(e)));
      transport.call('alerts.rules', { profileId }).then(setRules, () => setRules([]));
    },
    series.length === 0 ? 3000 : 30_000,
    [profileId],
  );

  const load = (): void => {
    const to = live ? Date.now() : anchor;
    const from = to - range.ms;
    const key = `${rangeId}|${scopeKey}|${shownKey}`;
    Promise.all(
      shown.map((s) =>
        transport
          .call('metrics.query', {
            profileId,
            series: s.series,
            ...(s.tags ? { tags: s.tags } : {}),
            from,
            to: to + 1,
            resolution: range.resolution,
          })
          .then(
            (r) => ({ s, buckets: r.buckets }),
            () => ({ s, buckets: [] as MetricBucket[] }),
          ),
      ),
    ).then(
      (data) => {
        setLoaded({ key, from, to, data });
        setError(undefined);
      },
      (e: unknown) => setError(errorText(e)),
    );
  };
  // Every poll re-reads the whole window: a long one refreshes less often, so live mode on an
  // hour of 1 s buckets is not thousands of keys read every few seconds.
  usePoll(load, live ? Math.max(LIVE_MS, RESOLUTION_MS[range.resolution], range.ms / 360) : 3_600_000, [
    profileId,
    rangeId,
    scopeKey,
    shownKey,
    live,
    anchor,
  ]);

  usePoll(
    () => {
      const to = live ? Date.now() : anchor;
      transport.call('analytics.analyze', { profileId, from: to - range.ms, to }).then(
        (view) => setAnalysis({ view }),
        (e: unknown) => setAnalysis({ error: errorText(e) }),
      );
    },
    live ? ANALYSIS_MS : 3_600_000,
    [profileId, rangeId, live, anchor],
  );

  const thresholdsFor = (s: ScopedSeries): Threshold[] =>
    rules
      .filter((r) => r.enabled && ruleApplies(r, s))
      .map((r) => ({ value: r.threshold, label: `${r.name} (${r.stat})`, severity: r.severity }));
  const current = loaded && loaded.key === `${rangeId}|${scopeKey}|${shownKey}` ? loaded : undefined;

  return (
    <div className="page analytics-page">
      <header className="page-head">
        <div>
          <h2>Analytics</h2>
          <div className="muted">
            Recorded series of {profile.name}: trends, anomalies against the expected band, bottlenecks and alerts.
          </div>
        </div>
        <div className="segmented" role="tablist">
          <button
            type="button"
            role="tab"
            className={tab === 'series' ? 'active' : ''}
            aria-selected={tab === 'series'}
            onClick={() => setTab('series')}
          >
            Series
          </button>
          <button
            type="button"
            role="tab"
            className={tab === 'alerts' ? 'active' : ''}
            aria-selected={tab === 'alerts'}
            onClick={() => setTab('alerts')}
          >
            Alerts{firing > 0 ? ` (${firing})` : ''}
          </button>
        </div>
      </header>
      {tab === 'alerts' ? (
        <AlertsView profileId={profileId} profile={profile} />
      ) : (
        <>
          <div className="analytics-toolbar">
            <div className="segmented" aria-label="Time range">
              {RANGES.map((r) => (
                <button
                  key={r.id}
                  type="button"
                  className={r.id === rangeId ? 'active' : ''}
                  onClick={() => {
                    setRangeId(r.id);
                    setAnchor(Date.now());
                  }}
                >
                  {r.label}
                </button>
              ))}
            </div>
            <label className="toggle analytics-live">
              <input
                type="checkbox"
                checked={live}
                onChange={(e) => {
                  setLive(e.target.checked);
                  setAnchor(Date.now());
                }}
              />{' '}
              live
            </label>
            <label className="inline muted">
              Drill down
              <select
                className="switcher"
                aria-label="Drill down"
                value={scope?.key ?? 'all'}
                onChange={(e) => setScopeKey(e.target.value)}
              >
                {scopes.map((s) => (
                  <option key={s.key} value={s.key}>
                    {s.label}
                  </option>
                ))}
              </select>
            </label>
            <span className="muted">
              {range.resolution} buckets
              {current ? ` · ${new Date(current.from).toLocaleTimeString()} – ${new Date(current.to).toLocaleTimeString()}` : ''}
            </span>
            <ReportButton profileId={profileId} profileName={profile.name} rangeMs={range.ms} anchor={live ? undefined : anchor} />
          </div>
          {error && <div className="notice notice-error">{error}</div>}
          <div className="analytics-grid">
            <div className="analytics-charts">
              {series.length === 0 && (
                <p className="muted">
                  No series recorded yet: Swarmdeck records Redis, queue and swarm figures while a writable profile is connected, and agents
                  record their own with the SDK's Metrics.
                </p>
              )}
              {shown.map((s) => {
                const d = current?.data.find(
                  (x) => x.s.series === s.series && JSON.stringify(x.s.tags ?? {}) === JSON.stringify(s.tags ?? {}),
                );
                return (
                  <SeriesChart
                    key={`${s.series}${JSON.stringify(s.tags ?? {})}`}
                    title={s.label}
                    unit={unitOf(s.series)}
                    buckets={d?.buckets ?? []}
                    thresholds={thresholdsFor(s)}
                    from={current?.from ?? anchor - range.ms}
                    to={current?.to ?? anchor}
                  />
                );
              })}
            </div>
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
      )}
    </div>
  );
}
