import type { Finding, Severity } from '../../../../shared/model/diagnostics';

const ORDER: Severity[] = ['critical', 'warning', 'info'];
const HEADING: Record<Severity, string> = { critical: 'Critical', warning: 'Warnings', info: 'Information' };

function FindingCard({ finding }: { finding: Finding }) {
  return (
    <article className={`finding finding-${finding.severity}`} data-testid="finding" data-finding={finding.id}>
      <header>
        <span className={`sev sev-${finding.severity}`}>{finding.severity}</span>
        <h4>{finding.title}</h4>
        {finding.node && <span className="chip mono">{finding.node}</span>}
      </header>
      <p>{finding.detail}</p>
      {finding.evidence.length > 0 && (
        <details className="evidence" open={finding.severity !== 'info'}>
          <summary>Evidence</summary>
          {finding.evidence.map((e, i) => (
            <div key={i} className="evidence-item">
              <code>{e.command}</code>
              {e.node && <span className="muted mono"> on {e.node}</span>}
              <dl className="figures">
                {Object.entries(e.figures).map(([k, v]) => (
                  <div key={k}><dt>{k}</dt><dd className="mono">{typeof v === 'number' ? v.toLocaleString('en') : v}</dd></div>
                ))}
              </dl>
            </div>
          ))}
        </details>
      )}
      <p className="recommendation"><strong>What to do:</strong> {finding.recommendation}</p>
    </article>
  );
}

/** Findings by severity, worst first, each with what it rests on and what to do about it. */
export function FindingsList({ findings }: { findings: Finding[] }) {
  if (findings.length === 0) return <p className="muted">No findings: nothing here needs attention.</p>;
  return (
    <div className="findings">
      {ORDER.map((severity) => {
        const group = findings.filter((f) => f.severity === severity);
        if (group.length === 0) return null;
        return (
          <section key={severity} className="finding-group" aria-label={HEADING[severity]}>
            <h3 className={`sev-heading sev-${severity}`}>{HEADING[severity]} <span className="muted">({group.length})</span></h3>
            {group.map((f, i) => <FindingCard key={`${f.id}-${f.node ?? ''}-${i}`} finding={f} />)}
          </section>
        );
      })}
    </div>
  );
}
