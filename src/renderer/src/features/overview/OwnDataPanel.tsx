import { formatBytes } from '../../../../shared/format';
import type { MetricsUsage } from '../../../../shared/model/metrics';
import type { ProfileView } from '../../../../shared/model/profile';
import { useMetricsUsage } from './use-metrics-usage';

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 || word.endsWith('s') ? '' : 's'}`;

/** What Swarmdeck itself keeps on this target, so an operator sees it stays small. */
export function OwnDataPanel({ profileId }: { profileId: string }) {
  const { usage, error, loading, refresh } = useMetricsUsage(profileId);
  return (
    <section className="panel own-data-panel" aria-label="Swarmdeck's own data here">
      <header className="panel-head">
        <h3>Swarmdeck&apos;s own data here</h3>
        <button type="button" className="btn-small" onClick={refresh} disabled={loading}>
          {loading ? 'Counting…' : 'Count again'}
        </button>
      </header>
      {error && <div className="notice notice-error">{error}</div>}
      {usage && <OwnDataFigures usage={usage} />}
    </section>
  );
}

function OwnDataFigures({ usage }: { usage: MetricsUsage }) {
  return (
    <>
      <p className="own-data-total">
        <strong>
          {plural(usage.own.keys, 'key')}, {formatBytes(usage.own.bytes)}
        </strong>{' '}
        <span className="muted">
          · metrics: {plural(usage.series, 'series')} in {plural(usage.tagSets, 'tag set')}, kept at 1 + series + 3 × tag sets keys whatever
          the uptime
        </span>
      </p>
      <ul className="own-data-parts">
        {usage.own.parts.map((p) => (
          <li key={p.name}>
            <span>{p.name}</span>
            <span className="mono">
              {plural(p.keys, 'key')} · {formatBytes(p.bytes)}
            </span>
          </li>
        ))}
      </ul>
      {usage.legacyKeys > 0 && (
        <p className="muted">
          {plural(usage.legacyKeys, 'metric key')} of the older layout (one key per bucket) are still read and expire by themselves: seconds
          within 6 h, minutes within 7 days, hours within 90 days.
        </p>
      )}
      <RecordingState usage={usage} />
    </>
  );
}

/** Whether this app records its own series into the target, and why not when it does not. */
export function RecordingState({ usage }: { usage: MetricsUsage }) {
  return usage.collecting ? (
    <p className="muted">This app records its built-in series here (Redis, queues, swarms) every few seconds.</p>
  ) : (
    <div className="notice">{usage.reason}</div>
  );
}

/** For pages that show recorded series: says so when the operator switched this app's recording off for the profile. */
export function RecordingOffNotice({ profile }: { profile: ProfileView }) {
  if (profile.recordMetrics !== false) return null;
  return (
    <div className="notice">
      Recording metrics is switched off for {profile.name}: this app writes no series of its own here, so only what agents record (and
      history from before) shows. Switch it on in the profile&apos;s Behaviour section.
    </div>
  );
}
