import { useState } from 'react';
import type { AlertView } from '../../../../shared/model/metrics';
import { refusedProps } from '../../components/guard-button';
import type { GuardDecision } from '../../../../shared/guards';
import { askNotifyOnce, notifyState, type NotifyState } from './alert-notifications';

const time = (t: number | undefined): string => (t ? new Date(t).toLocaleString() : '—');

interface FiringProps {
  firing: AlertView[];
  busy: boolean;
  decideAck(alert: AlertView): GuardDecision;
  onAck(alert: AlertView, decision: GuardDecision): void;
}

/** What fires now, each with its acknowledgement; and whether critical ones reach the desktop. */
export function FiringAlerts({ firing, busy, decideAck, onAck }: FiringProps) {
  const [notify, setNotify] = useState<NotifyState>(notifyState());
  return (
    <section className="panel">
      <header className="panel-head">
        <h3>
          Firing <span className="count">{firing.length}</span>
        </h3>
        <span className="inline muted">
          desktop notifications for critical alerts: {notify}
          {notify === 'default' && (
            <button type="button" className="btn btn-small" onClick={() => void askNotifyOnce(true).then(setNotify)}>
              Allow
            </button>
          )}
        </span>
      </header>
      {firing.length === 0 ? (
        <p className="muted">No alert fires.</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>Severity</th>
              <th>Alert</th>
              <th>Since</th>
              <th>Acknowledged</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {firing.map((a) => {
              const decision = decideAck(a);
              return (
                <tr key={a.id} data-testid="firing-alert">
                  <td>
                    <span className={`sev sev-${a.severity}`}>{a.severity}</span>
                  </td>
                  <td>
                    <strong>{a.ruleName}</strong>
                    <div className="sub">{a.message}</div>
                  </td>
                  <td className="mono">{time(a.firedAt)}</td>
                  <td className="mono">{time(a.acknowledgedAt)}</td>
                  <td>
                    {!a.acknowledgedAt && (
                      <button
                        type="button"
                        className="btn btn-small"
                        disabled={busy || !decision.allowed}
                        {...refusedProps(decision)}
                        onClick={() => onAck(a, decision)}
                      >
                        Acknowledge
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** What fired and resolved since. */
export function ResolvedAlerts({ history }: { history: AlertView[] }) {
  return (
    <section className="panel">
      <header className="panel-head">
        <h3>
          History <span className="count">{history.length}</span>
        </h3>
      </header>
      {history.length === 0 ? (
        <p className="muted">Nothing resolved yet.</p>
      ) : (
        <table className="data-table compact">
          <thead>
            <tr>
              <th>Severity</th>
              <th>Alert</th>
              <th>Fired</th>
              <th>Resolved</th>
              <th>Acknowledged</th>
            </tr>
          </thead>
          <tbody>
            {history.map((a) => (
              <tr key={a.id} data-testid="resolved-alert">
                <td>
                  <span className={`sev sev-${a.severity}`}>{a.severity}</span>
                </td>
                <td>
                  {a.ruleName}
                  <div className="sub">{a.message}</div>
                </td>
                <td className="mono">{time(a.firedAt)}</td>
                <td className="mono">{time(a.resolvedAt)}</td>
                <td className="mono">{time(a.acknowledgedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
