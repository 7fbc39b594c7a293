import { Field, type SectionProps } from './Field';

/** Standalone host or cluster seeds. */
export function TopologySection({ form, errors, set }: SectionProps) {
  return (
    <section className="editor-section">
      <h4>Topology</h4>
      <div className="segmented" role="radiogroup" aria-label="Topology">
        {(['standalone', 'cluster'] as const).map((kind) => (
          <button
            type="button"
            key={kind}
            role="radio"
            aria-label={kind === 'standalone' ? 'Standalone' : 'Redis Cluster'}
            aria-checked={form.kind === kind}
            className={`seg${form.kind === kind ? ' on' : ''}`}
            onClick={() => set('kind', kind)}
          >
            {kind === 'standalone' ? 'Standalone' : 'Redis Cluster'}
          </button>
        ))}
      </div>
      {form.kind === 'standalone' ? (
        <div className="grid-3">
          <Field label="Host" path="topology.host" errors={errors}>
            <input value={form.host} onChange={(e) => set('host', e.target.value)} aria-label="Host" />
          </Field>
          <Field label="Port" path="topology.port" errors={errors}>
            <input value={form.port} onChange={(e) => set('port', e.target.value)} inputMode="numeric" aria-label="Port" />
          </Field>
          <Field label="Database" path="topology.db" errors={errors}>
            <input value={form.db} onChange={(e) => set('db', e.target.value)} inputMode="numeric" aria-label="Database" />
          </Field>
        </div>
      ) : (
        <div className="grid-2">
          <Field label="Seed nodes" path="topology.seeds" errors={errors} hint="host:port, one per line; the other nodes are discovered">
            <textarea
              rows={3}
              value={form.seeds}
              onChange={(e) => set('seeds', e.target.value)}
              placeholder="10.0.0.5:6379"
              aria-label="Seed nodes"
            />
          </Field>
          <Field label="NAT map (optional)" path="topology.natMap" errors={errors} hint="announced:port=reachable:port, one per line">
            <textarea
              rows={3}
              value={form.natMap}
              onChange={(e) => set('natMap', e.target.value)}
              placeholder="172.18.0.2:6379=127.0.0.1:7001"
              aria-label="NAT map"
            />
          </Field>
        </div>
      )}
    </section>
  );
}
