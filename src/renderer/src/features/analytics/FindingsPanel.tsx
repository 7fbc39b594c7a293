import type { AnalyticsView } from '../../../../shared/analytics/report';

const when = (t: number): string => new Date(t).toLocaleString();

/** Bottlenecks with their evidence and series, the forecasts, and what to do first. */
export function FindingsPanel({ view, error, onDrill }: { view?: AnalyticsView; error?: string; onDrill(subject: string): void }) {
  if (error)
    return (
      <section className="panel findings-panel">
        <div className="notice notice-error">{error}</div>
      </section>
    );
  if (!view)
    return (
      <section className="panel findings-panel">
        <p className="muted">Analysing the window…</p>
      </section>
    );
  const r = view.result;
  const findings = r.findings.filter((f) => f.kind !== 'anomalies');
  return (
    <section className="panel findings-panel" data-testid="findings-panel">
      <header className="panel-head">
        <h3>
          Bottlenecks <span className="count">{findings.length}</span>
        </h3>
        <span className="muted">
          {view.seriesRead} series at {view.resolution}
        </span>
      </header>
      {findings.length === 0 ? (
        <p className="muted">No bottleneck in the window: no latency tail, congested queue, memory pressure, eviction or slow consumer.</p>
      ) : (
        <ul className="finding-list">
          {findings.map((f) => (
            <li key={f.id} className="finding-item" data-testid="finding">
              <span className={`sev sev-${f.severity}`}>{f.severity}</span>{' '}
              <button type="button" className="linklike" onClick={() => onDrill(f.subject)} title="Show this subject's series">
                {f.title}
              </button>
              <div className="muted">{f.evidence}</div>
              <div className="mono finding-series">{f.series.join(' · ')}</div>
            </li>
          ))}
        </ul>
      )}
      {r.forecasts.length > 0 && (
        <>
          <h4>Forecasts</h4>
          <ul className="finding-list">
            {r.forecasts.map((f) => (
              <li key={`${f.kind}:${f.subject}`} data-testid="forecast">
                {f.kind === 'memory-full' ? `${f.subject}: memory full` : `${f.subject}: backlog clears`} around{' '}
                <strong>{when(f.at)}</strong>
                <div className="muted">
                  between {when(f.earliest)} and {when(f.latest)}, at {Math.round(f.perHour).toLocaleString()}/h
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
      <h4>Recommendations</h4>
      {r.recommendations.length === 0 ? (
        <p className="muted">Nothing to recommend.</p>
      ) : (
        <ol className="rec-list" data-testid="recommendations">
          {r.recommendations.slice(0, 8).map((x) => (
            <li key={x.findingId}>
              <span className={`sev sev-${x.severity}`}>{x.severity}</span> {x.action}
              <div className="muted">{x.why}</div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
