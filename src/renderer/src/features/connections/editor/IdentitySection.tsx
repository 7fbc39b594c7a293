import { ENVIRONMENTS } from '../../../../../shared/model/profile';
import { Field, type SectionProps } from './Field';

/** Name and environment. */
export function IdentitySection({ form, errors, set }: SectionProps) {
  return (
    <section className="editor-section">
      <h4>Identity</h4>
      <div className="grid-2">
        <Field label="Name" path="name" errors={errors}>
          <input value={form.name} onChange={(e) => set('name', e.target.value)} placeholder="prod-eu cluster" aria-label="Name" />
        </Field>
        <Field label="Environment" path="environment" errors={errors}>
          <div className="segmented" role="radiogroup" aria-label="Environment">
            {ENVIRONMENTS.map((env) => (
              <button
                type="button"
                key={env}
                role="radio"
                aria-label={env}
                aria-checked={form.environment === env}
                className={`seg env-${env}${form.environment === env ? ' on' : ''}`}
                onClick={() => set('environment', env)}
              >
                {env}
              </button>
            ))}
          </div>
        </Field>
      </div>
    </section>
  );
}
