import type { JobView } from '../../../shared/model/job';
import { useJobs } from '../app/jobs-store';
import { formatMs } from './format';

const number = new Intl.NumberFormat('en');

function amount(done: number, total: number | undefined, unit: string): string {
  return total === undefined ? `${number.format(done)} ${unit}` : `${number.format(done)} / ${number.format(total)} ${unit}`;
}

/** A job's progress bar with rate, ETA, per-node parts and a Cancel button while it runs. */
export function JobProgress({ job, cancellable = true }: { job: JobView; cancellable?: boolean }) {
  const cancel = useJobs((s) => s.cancel);
  const { progress: p } = job;
  const ratio = p.total ? Math.min(1, p.done / p.total) : undefined;
  const running = job.state === 'running';
  return (
    <div className={`job-progress job-${job.state}`} role="group" aria-label={job.title} data-testid={`job-${job.kind}`}>
      <div className="job-head">
        <strong>{job.title}</strong>
        <span className="muted">
          {amount(p.done, p.total, p.unit)}
          {p.rate !== undefined && running ? ` · ${number.format(Math.round(p.rate))} ${p.unit}/s` : ''}
          {p.etaMs !== undefined && running ? ` · ${formatMs(p.etaMs)} left` : ''}
          {running ? '' : ` · ${job.state}`}
        </span>
        {running && cancellable ? (
          <button className="btn btn-small" onClick={() => void cancel(job.id)}>
            Cancel
          </button>
        ) : null}
      </div>
      <div
        className="job-bar"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={ratio === undefined ? undefined : Math.round(ratio * 100)}
        aria-label={`${job.title} progress`}
      >
        <i
          className={ratio === undefined && running ? 'indeterminate' : ''}
          style={{ width: `${ratio === undefined ? (running ? 30 : 100) : ratio * 100}%` }}
        />
      </div>
      {p.detail ? <div className="muted job-detail">{p.detail}</div> : null}
      {p.parts ? (
        <div className="job-parts">
          {Object.entries(p.parts).map(([name, part]) => (
            <div key={name} className="job-part">
              <span className="mono">{name}</span>
              <div className="job-bar small">
                <i style={{ width: `${part.total ? Math.min(100, (part.done / part.total) * 100) : 100}%` }} />
              </div>
              <span className="muted">{amount(part.done, part.total, p.unit)}</span>
            </div>
          ))}
        </div>
      ) : null}
      {job.error ? <div className="error-text">{job.error.message}</div> : null}
    </div>
  );
}
