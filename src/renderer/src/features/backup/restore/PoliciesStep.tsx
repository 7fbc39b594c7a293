import type { ReactNode } from 'react';
import type { RestoreChoice } from './wizard-model';

interface Option<V extends string> {
  value: V;
  label: string;
  means: string;
}

const CONFLICT: Option<RestoreChoice['conflict']>[] = [
  { value: 'skip', label: 'Skip', means: 'a key that exists in the target is left as it is' },
  { value: 'replace', label: 'Replace', means: "the backup's value overwrites the target's (the safety snapshot keeps the old one)" },
  { value: 'fail', label: 'Fail', means: 'if any selected key exists, nothing is written at all' },
];

const TTL: Option<RestoreChoice['ttl']>[] = [
  { value: 'absolute', label: 'Absolute', means: 'keys expire when they would have; those already past it are not restored' },
  { value: 'remaining', label: 'Remaining', means: 'each key gets the time it had left when it was backed up' },
  { value: 'drop', label: 'Drop', means: 'restored keys never expire' },
];

function Choice<V extends string>({
  name,
  options,
  value,
  onChange,
}: {
  name: string;
  options: Option<V>[];
  value: V;
  onChange(v: V): void;
}) {
  return (
    <div className="policy-options" role="radiogroup" aria-label={name}>
      {options.map((o) => (
        <label key={o.value} className={`choice ${value === o.value ? 'on' : ''}`}>
          <input
            type="radio"
            name={name}
            checked={value === o.value}
            onChange={() => onChange(o.value)}
            aria-label={`${name}: ${o.label}`}
          />
          <strong>{o.label}</strong>
          <span className="muted">{o.means}</span>
        </label>
      ))}
    </div>
  );
}

const Section = ({ title, children }: { title: string; children: ReactNode }) => (
  <section className="editor-section">
    <h4>{title}</h4>
    {children}
  </section>
);

export function PoliciesStep({ choice, onChange }: { choice: RestoreChoice; onChange(patch: Partial<RestoreChoice>): void }) {
  return (
    <div className="policies-step">
      <Section title="When a key already exists">
        <Choice name="Conflict" options={CONFLICT} value={choice.conflict} onChange={(conflict) => onChange({ conflict })} />
      </Section>
      <Section title="Expiry">
        <Choice name="TTL" options={TTL} value={choice.ttl} onChange={(ttl) => onChange({ ttl })} />
      </Section>
      <Section title="Restore into another prefix">
        <label className="toggle">
          <input
            type="checkbox"
            checked={choice.rename}
            onChange={(e) => onChange({ rename: e.target.checked })}
            aria-label="Restore into another prefix"
          />{' '}
          Write the keys under another prefix, next to the live ones
        </label>
        {choice.rename ? (
          <div className="grid-2">
            <label className="field">
              <span>Keys starting with (empty: every key)</span>
              <input
                value={choice.renameFrom}
                onChange={(e) => onChange({ renameFrom: e.target.value })}
                aria-label="Prefix from"
                placeholder="sd:"
              />
            </label>
            <label className="field">
              <span>are written under</span>
              <input
                value={choice.renameTo}
                onChange={(e) => onChange({ renameTo: e.target.value })}
                aria-label="Prefix to"
                placeholder="restored:sd:"
              />
            </label>
          </div>
        ) : null}
      </Section>
    </div>
  );
}
