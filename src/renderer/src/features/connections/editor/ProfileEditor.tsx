import type { ProfileForm } from '../profile-form-model';
import { AuthSection } from './AuthSection';
import { BehaviourSection } from './BehaviourSection';
import { IdentitySection } from './IdentitySection';
import { TestResultView } from './TestResultView';
import { TlsSection } from './TlsSection';
import { TopologySection } from './TopologySection';
import { useProfileForm } from './use-profile-form';

/** Give it a `key` per profile: a new key starts a fresh form. */
interface Props {
  initial: ProfileForm;
  onSaved(id: string): void;
  onCancel(): void;
}

export function ProfileEditor({ initial, onSaved, onCancel }: Props) {
  const { form, setForm, set, errors, test, testing, saving, message, runTest, submit } = useProfileForm(initial, onSaved);
  const section = { form, errors, set, setForm };
  return (
    <form className="editor" onSubmit={(e) => (e.preventDefault(), void submit())} noValidate aria-label="Profile editor">
      <header className="editor-head">
        <h2>{form.id ? `Edit ${initial.name}` : 'New connection profile'}</h2>
        {form.environment === 'production' && <span className="prod-note">Production: destructive actions need typed confirmation</span>}
      </header>

      <IdentitySection {...section} />
      <TopologySection {...section} />
      <AuthSection {...section} />
      <TlsSection {...section} />
      <BehaviourSection {...section} />

      {message && (
        <div className="form-message" role="status">
          {message}
        </div>
      )}
      {test && <TestResultView result={test} />}

      <footer className="editor-actions">
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <span className="spacer" />
        <button type="button" className="btn" onClick={() => void runTest()} disabled={testing}>
          {testing ? 'Testing…' : 'Test connection'}
        </button>
        <button type="submit" className="btn btn-primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save profile'}
        </button>
      </footer>
    </form>
  );
}
