import type { DryRunView } from '../../../../../shared/model/backup';
import type { JobView } from '../../../../../shared/model/job';
import { JobProgress } from '../../../components/JobProgress';
import { count, keyText } from '../backup-format';
import { DRY_RUN_KINDS, DryRunChart } from './DryRunChart';

/** What the restore would do, counted against the target as it is now, with sample keys of each kind. */
export function DryRunStep({ job, report }: { job: JobView | undefined; report: DryRunView | undefined }) {
  if (!report) return job ? <JobProgress job={job} /> : <p className="muted">Starting the dry run…</p>;
  return (
    <div className="dry-run" data-testid="dry-run">
      <p className="muted">
        {count(report.selected)} keys selected{report.expired > 0 ? `, ${count(report.expired)} of them already expired and left out` : ''}.
        Nothing has been written.
      </p>
      <div className="dry-run-grid">
        <DryRunChart
          counts={{
            new: report.new.count,
            identical: report.identical.count,
            different: report.different.count,
            onlyInTarget: report.onlyInTarget.count,
          }}
        />
        <dl className="dry-run-counts">
          {DRY_RUN_KINDS.map((k) => (
            <div key={k.kind} data-testid={`dry-${k.kind}`}>
              <dt>
                <i style={{ background: k.color }} />
                {k.label}
              </dt>
              <dd>
                <strong>{count(report[k.kind].count)}</strong> <span className="muted">{k.means}</span>
              </dd>
            </div>
          ))}
        </dl>
      </div>
      <div className="samples">
        {DRY_RUN_KINDS.filter((k) => report[k.kind].samples.length > 0).map((k) => (
          <div key={k.kind} className="sample-group">
            <h4>
              {k.label} <span className="muted">— samples</span>
            </h4>
            <ul>
              {report[k.kind].samples.map((s) => (
                <li key={s.hex ?? s.text} className="mono ellipsis" title={keyText(s)}>
                  {keyText(s)}
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
    </div>
  );
}
