import { scheduleRunnerText, type ScheduleStatus } from '../../../../shared/model/backup';
import { formatAge } from '../../components/format';
import { when } from './backup-format';

/** Who runs the schedules, when the next run is, how the last one went, and how many ticks were missed. */
export function ScheduleFacts({ status }: { status: ScheduleStatus | undefined }) {
  const last = status?.lastResult;
  return (
    <dl className="facts schedule-facts">
      <dt>Runner</dt>
      <dd data-testid="schedule-runner">{status ? scheduleRunnerText(status.runner) : '—'}</dd>
      <dt>Next run</dt>
      <dd data-testid="schedule-next">{status?.running ? 'running now' : status?.nextRun ? `${when(status.nextRun)}` : 'not scheduled'}</dd>
      <dt>Last run</dt>
      <dd>{status?.lastRun ? `${when(status.lastRun)} (${formatAge(status.lastRun)} ago)` : 'never'}</dd>
      <dt>Last result</dt>
      <dd className={last ? (last.ok ? 'ok-text' : 'error-text') : 'muted'}>
        {last ? (last.ok ? 'ok' : (last.error?.message ?? 'failed')) : '—'}
      </dd>
      <dt>Missed</dt>
      <dd className={status && status.missed > 0 ? 'warn-text' : ''} title="ticks skipped because the previous run was still going">
        {status?.missed ?? 0}
      </dd>
    </dl>
  );
}
