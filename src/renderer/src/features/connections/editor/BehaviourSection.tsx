import { Field, type SectionProps } from './Field';

/** Key prefix, timeouts, the read-only guard and whether this app records its metrics there. */
export function BehaviourSection({ form, errors, set }: SectionProps) {
  return (
    <section className="editor-section">
      <h4>Behaviour</h4>
      <div className="grid-3">
        <Field label="Key prefix" path="keyPrefix" errors={errors} hint="coordination keys start with this">
          <input value={form.keyPrefix} onChange={(e) => set('keyPrefix', e.target.value)} aria-label="Key prefix" />
        </Field>
        <Field label="Connect timeout (ms)" path="connectTimeoutMs" errors={errors}>
          <input
            value={form.connectTimeoutMs}
            onChange={(e) => set('connectTimeoutMs', e.target.value)}
            inputMode="numeric"
            aria-label="Connect timeout"
          />
        </Field>
        <Field label="Command timeout (ms)" path="commandTimeoutMs" errors={errors}>
          <input
            value={form.commandTimeoutMs}
            onChange={(e) => set('commandTimeoutMs', e.target.value)}
            inputMode="numeric"
            aria-label="Command timeout"
          />
        </Field>
      </div>
      <label className="toggle">
        <input type="checkbox" checked={form.readOnly} onChange={(e) => set('readOnly', e.target.checked)} aria-label="Read-only" />{' '}
        Read-only — every write command is refused in the main process
      </label>
      <label className="toggle">
        <input
          type="checkbox"
          checked={form.recordMetrics}
          onChange={(e) => set('recordMetrics', e.target.checked)}
          aria-label="Record metrics"
        />{' '}
        Record metrics — this app keeps its own series (Redis, queues, swarms) in this Redis, in a few keys per series
      </label>
    </section>
  );
}
