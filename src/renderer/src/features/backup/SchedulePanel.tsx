import { useEffect, useState } from 'react';
import type { BackupSchedule } from '../../../../shared/model/backup';
import type { ProfileView } from '../../../../shared/model/profile';
import { refusedProps } from '../../components/guard-button';
import { errorText, type Notice } from '../../components/notice';
import { useDeclaredAction } from '../../components/use-declared-action';
import { useBackups } from './backups-store';
import { describeSchedule, draftOf, scheduleOf, type ScheduleDraft } from './schedule-draft';
import { ScheduleFacts } from './ScheduleFacts';
import { ScheduleFields } from './ScheduleFields';

interface Props {
  profileId: string;
  profile: ProfileView;
  report(n: Notice): void;
}

/** The profile's schedule as main has it, and the form's draft, filled from it once it arrives. */
function useScheduleStatus(profileId: string, report: (n: Notice) => void) {
  const status = useBackups((s) => s.schedules[profileId]);
  const loadSchedule = useBackups((s) => s.loadSchedule);
  const [draft, setDraft] = useState<ScheduleDraft>(() => draftOf(null));
  useEffect(() => {
    let live = true;
    loadSchedule(profileId).then(
      (s) => live && setDraft(draftOf(s.schedule)),
      (e: unknown) => live && report({ kind: 'error', text: errorText(e) }),
    );
    return () => {
      live = false;
    };
  }, [profileId, report, loadSchedule]);
  return { status, draft, setDraft };
}

/** When the next whole-database backup runs, how the last one went, and how many ticks were missed. */
export function SchedulePanel({ profileId, profile, report }: Props) {
  const { status, draft, setDraft } = useScheduleStatus(profileId, report);
  const setSchedule = useBackups((s) => s.setSchedule);
  const next = scheduleOf(draft);
  const change = useDeclaredAction('backup.schedule.set', profile, {
    inputOf: (schedule: BackupSchedule | null) => ({ profileId, schedule }),
    perform: async (schedule, confirm) => {
      await setSchedule(profileId, schedule, confirm);
      return schedule ? `Backups scheduled ${describeSchedule(schedule)}` : 'Schedule removed';
    },
    report,
  });
  const saving = change.busy;
  // No decision while the form is not a schedule yet: its problem already keeps Save disabled.
  const saveDecision = 'schedule' in next ? change.decide(next.schedule) : undefined;
  const removeDecision = change.decide(null);
  const save = (schedule: BackupSchedule | null): void =>
    change.ask(
      schedule
        ? {
            payload: schedule,
            title: `Schedule backups of ${profile.name}?`,
            body: `A whole-database backup ${describeSchedule(schedule)}, while Swarmdeck runs.`,
            confirmLabel: 'Save schedule',
          }
        : {
            payload: null,
            title: `Remove the schedule of ${profile.name}?`,
            body: 'No more backups of this profile are taken on their own; the ones on disk stay.',
            confirmLabel: 'Remove schedule',
          },
    );

  return (
    <section className="panel" aria-label="Schedule" data-testid="schedule-panel">
      <header className="panel-head">
        <h3>Schedule</h3>
        <span className="muted">{status?.schedule ? describeSchedule(status.schedule) : 'whole database, while Swarmdeck runs'}</span>
      </header>
      <ScheduleFacts status={status} />
      <ScheduleFields draft={draft} patch={(p) => setDraft((d) => ({ ...d, ...p }))} />
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
