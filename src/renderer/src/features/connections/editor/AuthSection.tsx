import { useProfiles } from '../profiles-store';
import { Field, type SectionProps } from './Field';

/** ACL user and the password, which the form only ever sets, keeps or clears. */
export function AuthSection({ form, errors, set, setForm }: SectionProps) {
  // Say where the password actually is: the desktop app's keychain or the web host's file.
  const where = useProfiles((s) => s.info?.secrets.where);
  return (
    <section className="editor-section">
      <h4>Authentication</h4>
      <div className="grid-2">
        <Field label="ACL username" path="username" errors={errors} hint="empty for the default user">
          <input value={form.username} onChange={(e) => set('username', e.target.value)} autoComplete="off" aria-label="ACL username" />
        </Field>
        <Field
          label="Password"
          path="password"
          errors={errors}
          hint={form.hasPassword ? `a password is stored ${where ?? 'in the main process'}` : 'kept in main, never shown again'}
        >
          {form.hasPassword && form.passwordAction !== 'set' ? (
            <div className="inline">
              <span className={`stored${form.passwordAction === 'clear' ? ' cleared' : ''}`}>
                {form.passwordAction === 'clear' ? 'will be removed' : '•••••••• stored'}
              </span>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => setForm((f) => ({ ...f, passwordAction: 'set', password: '' }))}
              >
                Change
              </button>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => set('passwordAction', form.passwordAction === 'clear' ? 'keep' : 'clear')}
              >
                {form.passwordAction === 'clear' ? 'Keep' : 'Remove'}
              </button>
            </div>
          ) : (
            <input
              type="password"
              value={form.password}
              onChange={(e) => setForm((f) => ({ ...f, password: e.target.value, passwordAction: 'set' }))}
              autoComplete="new-password"
              aria-label="Password"
            />
          )}
        </Field>
      </div>
    </section>
  );
}
