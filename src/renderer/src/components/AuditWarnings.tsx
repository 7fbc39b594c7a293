import { useAuditWarnings } from '../app/audit-warnings';
import { shownWarnings } from '../app/audit-warnings-model';

/**
 * "Done, but not audited": the action happened (so the page says it did), yet the audit stream
 * has no trace of it. Shown over every page until the operator dismisses it, since the page that
 * asked may be gone by the time they look.
 */
export function AuditWarnings() {
  const warnings = useAuditWarnings((s) => s.warnings);
  const dismiss = useAuditWarnings((s) => s.dismiss);
  const dismissAll = useAuditWarnings((s) => s.dismissAll);
  if (warnings.length === 0) return null;
  const { shown, more } = shownWarnings(warnings);
  return (
    <div className="audit-warnings" aria-label="Audit warnings" data-testid="audit-warnings">
      {shown.map((w) => (
        <div key={w.id} className="audit-warning" role="alert" data-testid="audit-warning">
          <div className="audit-warning-head">
            <strong>Done, but not audited</strong>
            <span className="mono muted">
              {w.op} · {new Date(w.at).toLocaleTimeString()}
            </span>
            <button type="button" className="btn btn-small" onClick={() => dismiss(w.id)} aria-label={`Dismiss the warning about ${w.op}`}>
              Dismiss
            </button>
          </div>
          <p>{w.message}</p>
          <p className="muted">
            The audit stream of this profile has no entry for it: if it must be on record, note it where your team keeps such things.
          </p>
        </div>
      ))}
      {more > 0 || shown.length > 1 ? (
        <div className="audit-warnings-foot">
          {more > 0 ? <span className="muted">{more} more</span> : null}
          <button type="button" className="btn btn-small" onClick={dismissAll}>
            Dismiss all
          </button>
        </div>
      ) : null}
    </div>
  );
}
