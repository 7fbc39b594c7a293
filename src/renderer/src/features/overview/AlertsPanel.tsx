import { useState } from 'react';
import { ThresholdsSchema, type Alert, type Thresholds } from '../../../../shared/model/health';
import { useHealth } from './health-store';
import { formatAge } from '../../components/format';

function ThresholdsEditor({ thresholds }: { thresholds: Thresholds }) {
  const save = useHealth((s) => s.saveThresholds);
  const [draft, setDraft] = useState({ latency: '', warn: '', crit: '' });
  const [error, setError] = useState<string | undefined>();
  const [open, setOpen] = useState(false);
  const start = (): void => {
    setDraft({
      latency: String(thresholds.latencyWarnMs),
      warn: String(Math.round(thresholds.memoryWarnRatio * 100)),
      crit: String(Math.round(thresholds.memoryCritRatio * 100)),
    });
    setOpen(true);
  };
  if (!open)
    return (
      <button type="button" className="btn btn-small" onClick={start}>
        Thresholds…
      </button>
    );
  const apply = async (): Promise<void> => {
    const parsed = ThresholdsSchema.safeParse({
      latencyWarnMs: Number(draft.latency),
      memoryWarnRatio: Number(draft.warn) / 100,
      memoryCritRatio: Number(draft.crit) / 100,
    });
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'Invalid thresholds');
      return;
    }
    await save(parsed.data);
    setError(undefined);
    setOpen(false);
  };
  return (
    <div className="thresholds">
      <label>
        Latency warning{' '}
        <input value={draft.latency} onChange={(e) => setDraft({ ...draft, latency: e.target.value })} aria-label="Latency warning ms" /> ms
      </label>
      <label>
        Memory warning{' '}
        <input value={draft.warn} onChange={(e) => setDraft({ ...draft, warn: e.target.value })} aria-label="Memory warning percent" /> %
      </label>
      <label>
        Memory critical{' '}
        <input value={draft.crit} onChange={(e) => setDraft({ ...draft, crit: e.target.value })} aria-label="Memory critical percent" /> %
      </label>
      {error && <em className="field-error">{error}</em>}
      <div className="inline">
        <button type="button" className="btn btn-small" onClick={() => setOpen(false)}>
          Cancel
        </button>
        <button type="button" className="btn btn-small btn-primary" onClick={() => void apply()}>
          Apply
        </button>
      </div>
    </div>
  );
}

export function AlertsPanel({ alerts }: { alerts: Alert[] }) {
  const thresholds = useHealth((s) => s.thresholds);
  return (
    <section className="panel alerts-panel" aria-label="Alerts">
      <header className="panel-head">
        <h3>
          Alerts <span className={`count ${alerts.length ? 'count-bad' : ''}`}>{alerts.length}</span>
        </h3>
        {thresholds && <ThresholdsEditor thresholds={thresholds} />}
      </header>
      {alerts.length === 0 ? (
        <p className="muted all-clear">
          ✓ All clear
          {thresholds ? ` — latency < ${thresholds.latencyWarnMs} ms, memory < ${Math.round(thresholds.memoryWarnRatio * 100)} %` : ''}
        </p>
      ) : (
        <ul className="alert-list">
          {alerts.map((a) => (
            <li key={`${a.id}:${a.severity}`} className={`alert alert-${a.severity}`}>
              <span className="sev">{a.severity}</span>
              <span className="msg">{a.message}</span>
              <span className="since">for {formatAge(a.since)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
