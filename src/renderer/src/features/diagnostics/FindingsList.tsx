import { useState } from 'react';
import type { Finding, Severity } from '../../../../shared/model/diagnostics';

const ORDER: Severity[] = ['critical', 'warning', 'info'];
const HEADING: Record<Severity, string> = { critical: 'Critical', warning: 'Warnings', info: 'Information' };

/** One problem as the operator reads it: the same finding on six nodes is one card naming the six. */
interface FindingGroup {
  key: string;
  finding: Finding;
  nodes: string[];
  evidence: Finding['evidence'];
}

export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of findings) {
    // Per-node findings differ only in the node named inside their text; the id, severity and advice say it is the same problem.
    const key = `${f.id}|${f.severity}|${f.recommendation}|${f.node ? f.title.split(f.node).join('') : f.title}`;
    const group = groups.get(key);
    if (group) {
      if (f.node) group.nodes.push(f.node);
      group.evidence.push(...f.evidence);
    } else {
      groups.set(key, { key, finding: f, nodes: f.node ? [f.node] : [], evidence: [...f.evidence] });
    }
  }
  return [...groups.values()];
}

function FindingCard({ group: { finding, nodes, evidence } }: { group: FindingGroup }) {
  return (
    <article className={`finding finding-${finding.severity}`} data-testid="finding" data-finding={finding.id}>
      <header>
        <span className={`sev sev-${finding.severity}`}>{finding.severity}</span>
        <h4>{finding.title}</h4>
        {nodes.length > 1 ? (
          <span className="chip">on {nodes.length} nodes</span>
        ) : nodes[0] ? (
          <span className="chip mono">{nodes[0]}</span>
        ) : null}
      </header>
      <p>{nodes.length > 1 ? finding.detail.split(nodes[0] as string).join('each node') : finding.detail}</p>
      {nodes.length > 1 && (
        <div className="finding-nodes">
          {nodes.map((n) => (
            <span key={n} className="chip mono">
              {n}
            </span>
          ))}
        </div>
      )}
      {evidence.length > 0 && (
        <details className="evidence" open={finding.severity !== 'info'}>
          <summary>Evidence{evidence.length > 1 ? ` (${evidence.length})` : ''}</summary>
          {evidence.map((e, i) => (
            <div key={i} className="evidence-item">
              <code>{e.command}</code>
              {e.node && <span className="muted mono"> on {e.node}</span>}
              <dl className="figures">
                {Object.entries(e.figures).map(([k, v]) => (
                  <div key={k}>
                    <dt>{k}</dt>
                    <dd className="mono">{typeof v === 'number' ? v.toLocaleString('en') : v}</dd>
                  </div>
                ))}
              </dl>
            </div>
          ))}
        </details>
      )}
      <p className="recommendation">
        <strong>What to do:</strong> {finding.recommendation}
      </p>
    </article>
  );
}

/** Enough cards to read the shape of a long list without pushing the report's figures out of sight. */
const FIRST = 4;

function SeverityGroup({ severity, groups }: { severity: Severity; groups: FindingGroup[] }) {
  const [all, setAll] = useState(false);
  const shown = all ? groups : groups.slice(0, FIRST);
  return (
    <section className="finding-group" aria-label={HEADING[severity]}>
      <h3 className={`sev-heading sev-${severity}`}>
        {HEADING[severity]} <span className="muted">({groups.length})</span>
      </h3>
      {shown.map((g) => (
        <FindingCard key={g.key} group={g} />
      ))}
      {groups.length > shown.length && (
        <button type="button" className="btn btn-small" onClick={() => setAll(true)}>
          Show {groups.length - shown.length} more {severity === 'info' ? 'notes' : `${severity}s`}
        </button>
      )}
    </section>
  );
}

/** Findings by severity, worst first, each with what it rests on and what to do about it. */
export function FindingsList({ findings }: { findings: Finding[] }) {
  if (findings.length === 0) return <p className="muted">No findings: nothing here needs attention.</p>;
  return (
    <div className="diag-findings">
      {ORDER.map((severity) => {
        const groups = groupFindings(findings.filter((f) => f.severity === severity));
        return groups.length === 0 ? null : <SeverityGroup key={severity} severity={severity} groups={groups} />;
      })}
    </div>
  );
}
