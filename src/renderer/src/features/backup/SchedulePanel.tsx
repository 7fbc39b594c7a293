import { useEffect, useState } from 'react';
import { declaredGuard } from '../../../../shared/declared-guard';
import type { BackupSchedule, ScheduleStatus } from '../../../../shared/model/backup';
import type { ProfileView } from '../../../../shared/model/profile';
import { confirmationOf } from '../../components/declared-action';
import { formatAge } from '../../components/format';
import { refusedProps } from '../../components/guard-button';
import { errorText, type Notice } from '../../components/notice';
import { useConfirmedAction } from '../../components/use-confirmed-action';
import { transport } from '../../transport';
import { when } from './backup-format';

interface Draft {
  kind: BackupSchedule['kind'];
  /** Interval in hours, as typed. */
  hours: string;
  expression: string;
  timeZone: string;
}

const HOUR = 3_600_000;
const localZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The schedule the form describes, or why it cannot be saved yet. */
export function scheduleOf(d: Draft): { schedule: BackupSchedule } | { problem: string } {
  if (d.kind === 'interval') {
    const h = Number(d.hours);
    // The contract's floor is one minute; fractions of an hour are allowed down to it.
    if (!Number.isFinite(h) || h * HOUR < 60_000 || h > 24 * 366) return { problem: 'Every 0.02 to 8784 hours' };
    return { schedule: { kind: 'interval', everyMs: Math.round(h * HOUR) } };
  }
  const fields = d.expression.trim().split(/\s+/);
  if (fields.length < 5 || fields.length > 6) return { problem: 'A cron expression has five fields (six with seconds)' };
  return { schedule: { kind: 'cron', expression: fields.join(' '), timeZone: d.timeZone.trim() || localZone() } };
}

function draftOf(s: BackupSchedule | null): Draft {
  const base: Draft = { kind: 'interval', hours: '6', expression: '30 2 * * *', timeZone: localZone() };
  if (!s) return base;
  return s.kind === 'interval'
    ? { ...base, hours: String(s.everyMs / HOUR) }
    : { ...base, kind: 'cron', expression: s.expression, timeZone: s.timeZone ?? base.timeZone };
}

const describe = (s: BackupSchedule): string =>
  s.kind === 'interval' ? `every ${s.everyMs / HOUR} h` : `cron ${s.expression}${s.timeZone ? ` (${s.timeZone})` : ''}`;

/** When the next whole-database backup runs, how the last one went, and how many ticks were missed. */
export function SchedulePanel({ profileId, profile, report }: { profileId: string; profile: ProfileView; report(n: Notice): void }) {
  const [status, setStatus] = useState<ScheduleStatus | undefined>();
  const [draft, setDraft] = useState<Draft>(() => draftOf(null));

  useEffect(() => {
    let live = true;
    transport.call('backup.schedule.status', { profileId }).then(
      (s) => {
        if (!live) return;
        setStatus(s);
        setDraft(draftOf(s.schedule));
      },
      (e: unknown) => live && report({ kind: 'error', text: errorText(e) }),
    );
    return () => {
      live = false;
    };
  }, [profileId, report]);

  const next = scheduleOf(draft);
  const change = useConfirmedAction<BackupSchedule | null>({
    perform: async (schedule, confirm) => {
      setStatus(await transport.call('backup.schedule.set', { profileId, schedule, ...(confirm ? { confirm } : {}) }));
      return schedule ? `Backups scheduled ${describe(schedule)}` : 'Schedule removed';
    },
    report,
  });
  const saving = change.busy;
  // No decision while the form is not a schedule yet: its problem already keeps Save disabled.
  const saveDecision =
    'schedule' in next ? declaredGuard('backup.schedule.set', { profileId, schedule: next.schedule }, profile) : undefined;
  const removeDecision = declaredGuard('backup.schedule.set', { profileId, schedule: null }, profile);
  const save = (schedule: BackupSchedule | null): void =>
    change.ask(
      schedule
        ? {
            payload: schedule,
            title: `Schedule backups of ${profile.name}?`,
            body: `A whole-database backup ${describe(schedule)}, while Swarmdeck runs.`,
            confirmLabel: 'Save schedule',
            ...confirmationOf(declaredGuard('backup.schedule.set', { profileId, schedule }, profile)),
          }
        : {
            payload: null,
            title: `Remove the schedule of ${profile.name}?`,
            body: 'No more backups of this profile are taken on their own; the ones on disk stay.',
            confirmLabel: 'Remove schedule',
            ...confirmationOf(removeDecision),
          },
    );

  const patch = (p: Partial<Draft>): void => setDraft((d) => ({ ...d, ...p }));
  const last = status?.lastResult;
  return (
    <section className="panel" aria-label="Schedule" data-testid="schedule-panel">
      <header className="panel-head">
        <h3>Schedule</h3>
        <span className="muted">{status?.schedule ? describe(status.schedule) : 'whole database, while Swarmdeck runs'}</span>
      </header>
      <dl className="facts schedule-facts">
        <dt>Next run</dt>
        <dd data-testid="schedule-next">
          {status?.running ? 'running now' : status?.nextRun ? `${when(status.nextRun)}` : 'not scheduled'}
        </dd>
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
      <div className="segmented" role="radiogroup" aria-label="Schedule kind">
        {(['interval', 'cron'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="radio"
            aria-checked={draft.kind === k}
            className={`seg ${draft.kind === k ? 'on' : ''}`}
            onClick={() => patch({ kind: k })}
          >
            {k === 'interval' ? 'Every N hours' : 'Cron'}
          </button>
        ))}
      </div>
      <div className="schedule-fields">
        {draft.kind === 'interval' ? (
          <label className="field">
            <span>Hours between backups</span>
            <input value={draft.hours} onChange={(e) => patch({ hours: e.target.value })} aria-label="Every hours" />
          </label>
        ) : (
          <>
            <label className="field">
              <span>Cron (minute hour day month weekday)</span>
              <input value={draft.expression} onChange={(e) => patch({ expression: e.target.value })} aria-label="Cron expression" />
            </label>
            <label className="field">
              <span>Time zone</span>
              <input value={draft.timeZone} onChange={(e) => patch({ timeZone: e.target.value })} aria-label="Time zone" />
            </label>
          </>
        )}
      </div>
      <div className="panel-actions">
        {'problem' in next ? <span className="wizard-blocker">{next.problem}</span> : null}
        <span className="spacer" />
        {status?.schedule ? (
          <button
            type="button"
            className="btn btn-small btn-ghost-danger"
            disabled={saving || !removeDecision.allowed}
            {...refusedProps(removeDecision)}
            onClick={() => save(null)}
          >
            Remove
          </button>
        ) : null}
        <button
          type="button"
          className="btn btn-small btn-primary"
          disabled={saving || !saveDecision?.allowed}
          {...(saveDecision ? refusedProps(saveDecision) : {})}
          onClick={() => 'schedule' in next && save(next.schedule)}
        >
          Save schedule
        </button>
      </div>
      {change.dialog}
    </section>
  );
}
