import type { Dispatch, ReactNode, SetStateAction } from 'react';
import type { FieldError } from '../../../../../shared/errors';
import { errorFor, type ProfileForm } from '../profile-form-model';

/** What every section of the editor works with. */
export interface SectionProps {
  form: ProfileForm;
  errors: FieldError[];
  set<K extends keyof ProfileForm>(key: K, value: ProfileForm[K]): void;
  setForm: Dispatch<SetStateAction<ProfileForm>>;
}

/** A labelled input with its validation error (from main or the form model) in place of the hint. */
export function Field({
  label,
  path,
  errors,
  children,
  hint,
}: {
  label: string;
  path: string;
  errors: FieldError[];
  children: ReactNode;
  hint?: string;
}) {
  const error = errorFor(errors, path);
  return (
    <label className={`field${error ? ' has-error' : ''}`} data-field={path}>
      <span>{label}</span>
      {children}
      {error ? (
        <em className="field-error" role="alert">
          {error}
        </em>
      ) : hint ? (
        <small>{hint}</small>
      ) : null}
    </label>
  );
}
