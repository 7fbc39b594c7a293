import { useEffect, useState } from 'react';
import { useJob } from '../../app/jobs-store';
import { JobProgress } from '../../components/JobProgress';
import { errorText } from '../../components/notice';
import { useAnalytics } from './analytics-store';

/** Saves the finished report as a file: a Blob URL keeps it in the page, nothing is fetched. */
function save(html: string, name: string): void {
  const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The window's analysis and charts as one self-contained HTML file, written by a job. */
export function ReportButton({
  profileId,
  profileName,
  rangeMs,
  anchor,
}: {
  profileId: string;
  profileName: string;
  rangeMs: number;
  anchor?: number;
}) {
  const [jobId, setJobId] = useState<string>();
  const [to, setTo] = useState(0);
  const [error, setError] = useState<string>();
  const job = useJob(jobId);
  useEffect(() => {
    if (!jobId || job?.state !== 'done') return;
    useAnalytics
      .getState()
      .reportHtml(jobId)
      .then(
        (html) => {
          save(
            html,
            `swarmdeck-report-${profileName.replace(/[^A-Za-z0-9_.-]+/g, '-')}-${new Date(to).toISOString().replace(/[:.]/g, '-')}.html`,
          );
          setJobId(undefined);
        },
        (e: unknown) => setError(errorText(e)),
      );
  }, [jobId, job?.state, profileName, to]);
  return (
    <span className="inline report-button">
      <button
        type="button"
        className="btn btn-small"
        disabled={job?.state === 'running'}
        onClick={() => {
          setError(undefined);
          // A live view reports the window as it stands at the click.
          const end = anchor ?? Date.now();
          setTo(end);
          useAnalytics
            .getState()
            .startReport(profileId, end - rangeMs, end)
            .then(
              (j) => setJobId(j.id),
              (e: unknown) => setError(errorText(e)),
            );
        }}
      >
        Report (HTML)
      </button>
      {job && job.state !== 'done' && <JobProgress job={job} />}
      {error && <span className="error-text">{error}</span>}
    </span>
  );
}
