import { useMemo, useState } from 'react';
import type { AnalyticsView } from '../../../../shared/analytics/report';
import { RESOLUTION_MS, type AlertRule, type MetricBucket, type SeriesInfo } from '../../../../shared/model/metrics';
import { errorText } from '../../components/notice';
import { usePoll } from '../../components/use-poll';
import { transport } from '../../transport';
import { useAlerts } from './alerts-store';
import { RANGES, scopesOf, seriesInScope, type Scope, type ScopedSeries, type TimeRange } from './chart-model';

const LIVE_MS = 5000;
const ANALYSIS_MS = 30_000;
/** A fixed window's buckets no longer change: it is read again only hourly. */
const FIXED_MS = 3_600_000;
const FALLBACK_RANGE: TimeRange = { id: '15m', label: '15 min', ms: 900_000, resolution: '1s' };

export interface TimeWindow {
  rangeId: string;
  range: TimeRange;
  live: boolean;
  /** Where a fixed window ends. */
  anchor: number;
  chooseRange(id: string): void;
  setLive(live: boolean): void;
}

/** The buckets of the charts shown, read for one window; `key` says which view they were read for. */
export interface LoadedWindow {
  key: string;
  from: number;
  to: number;
  data: { s: ScopedSeries; buckets: MetricBucket[] }[];
}

export interface Analysis {
  view?: AnalyticsView;
  error?: string;
}

export interface SeriesAnalytics {
  time: TimeWindow;
  series: SeriesInfo[];
  rules: AlertRule[];
  scopes: Scope[];
  scope: Scope | undefined;
  setScopeKey(key: string): void;
  shown: ScopedSeries[];
  /** The loaded window, only while it is the one for the range and scope shown. */
  current: LoadedWindow | undefined;
  analysis: Analysis;
  error: string | undefined;
}

type ReportError = (error: string | undefined) => void;

export const seriesKey = (s: ScopedSeries): string => `${s.series}${JSON.stringify(s.tags ?? {})}`;
const windowEnd = (time: TimeWindow): number => (time.live ? Date.now() : time.anchor);

function useTimeWindow(): TimeWindow {
  const [rangeId, setRangeId] = useState('15m');
  const [live, setLive] = useState(true);
  // A fixed window stays where it was chosen; live mode slides it to now on every poll.
  const [anchor, setAnchor] = useState(() => Date.now());
  return {
    rangeId,
    range: RANGES.find((r) => r.id === rangeId) ?? RANGES[0] ?? FALLBACK_RANGE,
    live,
    anchor,
    chooseRange: (id) => {
      setRangeId(id);
      setAnchor(Date.now());
    },
    setLive: (on) => {
      setLive(on);
      setAnchor(Date.now());
    },
  };
}

const NO_SERIES: SeriesInfo[] = [];
const NO_RULES: AlertRule[] = [];

/** The recorded series and the rules on them, as the alerts store last read them (the Alerts tab reads the same). */
function useRecordedSeries(profileId: string, onError: ReportError): { series: SeriesInfo[]; rules: AlertRule[] } {
  const series = useAlerts((s) => s.series[profileId] ?? NO_SERIES);
  const rules = useAlerts((s) => s.rules[profileId] ?? NO_RULES);
  // Right after a connect nothing is recorded yet: look again soon, not in half a minute.
  usePoll(
    () => {
      const alerts = useAlerts.getState();
      alerts.loadSeries(profileId).catch((e: unknown) => onError(errorText(e)));
      // Rules only draw their thresholds on the charts: a failed read leaves the charts as they were.
      alerts.loadRules(profileId).catch(() => undefined);
    },
    series.length === 0 ? 3000 : 30_000,
    [profileId],
  );
  return { series, rules };
}

function readWindow(
  profileId: string,
  shown: readonly ScopedSeries[],
  range: TimeRange,
  from: number,
  to: number,
): Promise<LoadedWindow['data']> {
  return Promise.all(
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
  );
}

function useLoadedWindow(
  profileId: string,
  time: TimeWindow,
  scopeKey: string,
  shown: ScopedSeries[],
  onError: ReportError,
): LoadedWindow | undefined {
  const [loaded, setLoaded] = useState<LoadedWindow>();
  const { rangeId, range, live, anchor } = time;
  const shownKey = shown.map(seriesKey).join('|');
  const key = `${rangeId}|${scopeKey}|${shownKey}`;
  const load = (): void => {
    const to = windowEnd(time);
    const from = to - range.ms;
    readWindow(profileId, shown, range, from, to).then(
      (data) => {
        setLoaded({ key, from, to, data });
        onError(undefined);
      },
      (e: unknown) => onError(errorText(e)),
    );
  };
  // Every poll re-reads the whole window: a long one refreshes less often, so live mode on an
  // hour of 1 s buckets is not thousands of keys read every few seconds.
  usePoll(load, live ? Math.max(LIVE_MS, RESOLUTION_MS[range.resolution], range.ms / 360) : FIXED_MS, [
    profileId,
    rangeId,
    scopeKey,
    shownKey,
    live,
    anchor,
  ]);
  return loaded && loaded.key === key ? loaded : undefined;
}

function useAnalysis(profileId: string, time: TimeWindow): Analysis {
  const [analysis, setAnalysis] = useState<Analysis>({});
  usePoll(
    () => {
      const to = windowEnd(time);
      transport.call('analytics.analyze', { profileId, from: to - time.range.ms, to }).then(
        (view) => setAnalysis({ view }),
        (e: unknown) => setAnalysis({ error: errorText(e) }),
      );
    },
    time.live ? ANALYSIS_MS : FIXED_MS,
    [profileId, time.rangeId, time.live, time.anchor],
  );
  return analysis;
}

/**
 * Everything the Series tab shows for a profile: the window chosen, the recorded series and the
 * rules on them, the drill-down scope, the buckets of the charts in scope and the window's analysis.
 * The page holds it, so the choices and the polls outlive a visit to the Alerts tab.
 */
export function useSeriesAnalytics(profileId: string): SeriesAnalytics {
  const time = useTimeWindow();
  const [scopeKey, setScopeKey] = useState('all');
  // One message for the page: the latest failure, cleared when a window loads.
  const [error, setError] = useState<string>();
  const { series, rules } = useRecordedSeries(profileId, setError);
  const scopes = useMemo(() => scopesOf(series), [series]);
  const scope = scopes.find((s) => s.key === scopeKey) ?? scopes[0];
  const shown = useMemo(() => (scope ? seriesInScope(series, scope) : []), [series, scope]);
  const current = useLoadedWindow(profileId, time, scopeKey, shown, setError);
  const analysis = useAnalysis(profileId, time);
  return { time, series, rules, scopes, scope, setScopeKey, shown, current, analysis, error };
}
