import type { ScheduleDraft } from './schedule-draft';

/** The schedule's kind and the fields of that kind. */
export function ScheduleFields({ draft, patch }: { draft: ScheduleDraft; patch(p: Partial<ScheduleDraft>): void }) {
  return (
    <>
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
    </>
  );
}
