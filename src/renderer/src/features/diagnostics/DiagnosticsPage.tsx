import { useEffect, useState, type ReactNode } from 'react';
import {
  DIAGNOSES,
  SEVERITIES,
  type DiagnosisKind,
  type DiagnosisOptions,
  type DiagnosisReport,
} from '../../../../shared/model/diagnostics';
import { useJob } from '../../app/jobs-store';
import type { LiveConnection } from '../../app/page';
import { formatMs } from '../../components/format';
import { JobProgress } from '../../components/JobProgress';
import { NoticeBar, errorText, type Notice } from '../../components/notice';
import { useDiagnostics } from './diagnostics-store';
import { FindingsList } from './FindingsList';
import { MemoryReport } from './MemoryReport';
import { ClientsReport, ConnectionSteps, PerformanceNodes } from './ReportSections';

const ABOUT: Record<DiagnosisKind, { title: string; text: string }> = {
  connection: { title: 'Connection', text: 'DNS, TCP, TLS certificate, AUTH and ACL permissions, cluster slots, announced addresses.' },
  performance: {
    title: 'Performance',
    text: 'PING percentiles, slow log, latency events, top commands, persistence, replication, fragmentation.',
  },
  memory: { title: 'Memory', text: 'SCAN every master within a budget: namespaces, big keys, TTL distribution, keys that never expire.' },
  clients: { title: 'Clients', text: 'CLIENT LIST grouped by name and address: idle, output buffers, what they run.' },
};

function Report({ jobId, report }: { jobId: string; report: DiagnosisReport }) {
  const [notice, setNotice] = useState<Notice | undefined>();
  const save = (format: 'json' | 'html'): void => {
    useDiagnostics
      .getState()
      .download(jobId, format)
      .catch((error: unknown) => setNotice({ kind: 'error', text: errorText(error) }));
  };
  return (
    <div className="report" data-testid={`report-${report.kind}`}>
      <header className="report-head">
        <div>
          <h2>
            {ABOUT[report.kind].title} diagnosis · {report.profileName}
          </h2>
          <span className="muted">
            {report.target} · {new Date(report.startedAt).toLocaleString()} · took {formatMs(report.durationMs)}
          </span>
        </div>
        <div className="sev-counts">
          {[...SEVERITIES].reverse().map((s) => (
            <span key={s} className={`sev ${report.counts[s] ? `sev-${s}` : 'sev-none'}`}>
              {report.counts[s]} {s}
            </span>
          ))}
        </div>
        <button type="button" className="btn" onClick={() => save('json')}>
          Export JSON
        </button>
        <button type="button" className="btn" onClick={() => save('html')}>
          Export HTML
        </button>
      </header>
      <NoticeBar notice={notice} />
      <FindingsList findings={report.findings} />
      {report.connection && <ConnectionSteps steps={report.connection.steps} />}
      {report.performance && <PerformanceNodes nodes={report.performance.nodes} />}
      {report.memory && <MemoryReport memory={report.memory} />}
      {report.clients && <ClientsReport clients={report.clients} />}
    </div>
  );
}

function DiagnosisCard({ kind, options, children }: { kind: DiagnosisKind; options?: DiagnosisOptions; children?: ReactNode }) {
  const jobId = useDiagnostics((s) => s.jobs[kind]);
  const shown = useDiagnostics((s) => s.shown === kind);
  const report = useDiagnostics((s) => (jobId ? s.reports[jobId] : undefined));
  const job = useJob(jobId);
  const running = job?.state === 'running';
  const [error, setError] = useState<string | undefined>();
  return (
    <section className={`diag-card${shown ? ' active' : ''}`} aria-label={`${ABOUT[kind].title} diagnosis`}>
      <header>
        <h3>{ABOUT[kind].title}</h3>
        {report && (
          <span className="sev-mini">
            {report.counts.critical ? <b className="sev sev-critical">{report.counts.critical}</b> : null}
            {report.counts.warning ? <b className="sev sev-warning">{report.counts.warning}</b> : null}
            {!report.counts.critical && !report.counts.warning ? <b className="sev sev-ok">ok</b> : null}
          </span>
        )}
      </header>
      <p className="muted">{ABOUT[kind].text}</p>
      {children}
      <div className="diag-actions">
        <button
          type="button"
          className="btn btn-primary"
          disabled={running}
          data-testid={`run-${kind}`}
          onClick={() => {
            setError(undefined);
            useDiagnostics
              .getState()
              .run(kind, options)
              .catch((e: unknown) => setError(errorText(e)));
          }}
        >
          {running ? 'Running…' : report ? 'Run again' : 'Run'}
        </button>
        {report && !shown && (
          <button type="button" className="btn" onClick={() => useDiagnostics.getState().show(kind)}>
            Show report
          </button>
        )}
      </div>
      {error && <p className="error-text">{error}</p>}
    </section>
  );
}

export function DiagnosticsPage({ connection: { profileId, profile } }: { connection: LiveConnection }) {
  const jobs = useDiagnostics((s) => s.jobs);
  const shown = useDiagnostics((s) => s.shown);
  const shownJobId = shown ? jobs[shown] : undefined;
  const shownJob = useJob(shownJobId);
  const report = useDiagnostics((s) => (shownJobId ? s.reports[shownJobId] : undefined));
  const [budget, setBudget] = useState(20_000);
  const [useReplicas, setUseReplicas] = useState(false);
  const [reportError, setReportError] = useState<string | undefined>();
  const cluster = profile.topology.kind === 'cluster';

  useEffect(() => {
    useDiagnostics.getState().forProfile(profileId);
  }, [profileId]);
  // The report is the job's result: fetch it once the job says it is done.
  useEffect(() => {
    if (shownJobId && shownJob?.state === 'done') {
      useDiagnostics
        .getState()
        .loadReport(shownJobId)
        .then(
          () => setReportError(undefined),
          (e: unknown) => setReportError(errorText(e)),
        );
    }
  }, [shownJobId, shownJob?.state]);

  return (
    <div className="page diagnostics-page">
      <div className="diag-cards">
        {DIAGNOSES.map((kind) =>
          kind === 'memory' ? (
            <DiagnosisCard key={kind} kind={kind} options={{ opsPerSecond: budget, ...(useReplicas ? { useReplicas } : {}) }}>
              <div className="diag-options">
                <label className="field inline">
                  <span>Budget</span>
                  <input
                    className="input input-small"
                    type="number"
                    min={100}
                    step={1000}
                    value={budget}
                    onChange={(e) => setBudget(Math.max(100, Number(e.target.value) || 100))}
                    aria-label="operations per second per node"
                  />
                  <span className="muted">cmd/s per node</span>
                </label>
                {cluster && (
                  <label className="field inline">
                    <input type="checkbox" checked={useReplicas} onChange={(e) => setUseReplicas(e.target.checked)} />
                    <span>scan replicas (READONLY)</span>
                  </label>
                )}
              </div>
            </DiagnosisCard>
          ) : (
            <DiagnosisCard key={kind} kind={kind} />
          ),
        )}
      </div>
      {shownJob && shownJob.state !== 'done' && <JobProgress job={shownJob} />}
      <NoticeBar notice={reportError ? { kind: 'error', text: reportError } : undefined} />
      {shownJobId && report && <Report jobId={shownJobId} report={report} />}
      {!shown && (
        <div className="detail-hint">
          <h3>Diagnostics</h3>
          <p className="muted">
            Run a diagnosis: each reads the server with a budget, shows its progress, and reports what it found with the evidence and what
            to do.
          </p>
        </div>
      )}
    </div>
  );
}
