import { useState, type Dispatch, type SetStateAction } from 'react';
import { SwarmdeckError, type FieldError } from '../../../../../shared/errors';
import type { ConnectionTestResult } from '../../../../../shared/model/health';
import { toProfileInput, type ProfileForm } from '../profile-form-model';
import { useProfiles } from '../profiles-store';

/** The editor's state and its two calls: test the connection as typed, and save. */
export function useProfileForm(initial: ProfileForm, onSaved: (id: string) => void) {
  const [form, setFormState] = useState<ProfileForm>(initial);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [test, setTest] = useState<ConnectionTestResult | undefined>();
  const [testing, setTesting] = useState(false);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<string | undefined>();
  const save = useProfiles((s) => s.save);
  const testConnection = useProfiles((s) => s.test);

  // A test result speaks of the profile as it was typed when tested: any edit makes it stale,
  // so it goes rather than sit under a new validation error as if it still held.
  const setForm: Dispatch<SetStateAction<ProfileForm>> = (next) => {
    setTest(undefined);
    setFormState(next);
  };
  const set = <K extends keyof ProfileForm>(key: K, value: ProfileForm[K]): void => setForm((f) => ({ ...f, [key]: value }));

  const validated = () => {
    const result = toProfileInput(form);
    if (!result.ok) {
      setTest(undefined);
      setErrors(result.errors);
      setMessage(
        `${result.errors.length} field${result.errors.length === 1 ? '' : 's'} need${result.errors.length === 1 ? 's' : ''} attention`,
      );
      return undefined;
    }
    setErrors([]);
    setMessage(undefined);
    return result.input;
  };

  // Main's validation errors carry field paths: show them on the fields, like the form's own.
  const showError = (error: unknown): void => {
    if (error instanceof SwarmdeckError) {
      setErrors(error.details?.fields ?? []);
      setMessage(error.message);
    } else setMessage(String(error));
  };

  const runTest = async (): Promise<void> => {
    const input = validated();
    if (!input) return;
    setTesting(true);
    setTest(undefined);
    try {
      const usesTyped = form.passwordAction === 'set' && form.password !== '';
      setTest(
        await testConnection({
          profile: input,
          ...(usesTyped ? { password: form.password } : {}),
          ...(!usesTyped && form.id && form.passwordAction === 'keep' ? { storedPasswordOf: form.id } : {}),
        }),
      );
    } catch (error) {
      showError(error);
    } finally {
      setTesting(false);
    }
  };

  const submit = async (): Promise<void> => {
    const input = validated();
    if (!input) return;
    setSaving(true);
    try {
      const password =
        form.passwordAction === 'clear' ? null : form.passwordAction === 'set' && form.password !== '' ? form.password : undefined;
      const saved = await save({ profile: input, ...(password !== undefined ? { password } : {}) });
      onSaved(saved.id);
    } catch (error) {
      showError(error);
    } finally {
      setSaving(false);
    }
  };

  return { form, setForm, set, errors, test, testing, saving, message, runTest, submit };
}
