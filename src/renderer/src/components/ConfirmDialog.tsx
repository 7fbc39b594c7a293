import { useState } from 'react';

interface Props {
  title: string;
  body: string;
  confirmLabel: string;
  /** When set, the operator must type this text to confirm (production guard). */
  typedConfirmation?: string;
  danger?: boolean;
  onConfirm(): void;
  onCancel(): void;
}

export function ConfirmDialog({ title, body, confirmLabel, typedConfirmation, danger, onConfirm, onCancel }: Props) {
  const [typed, setTyped] = useState('');
  const ready = typedConfirmation === undefined || typed === typedConfirmation;
  return (
    <div className="modal-backdrop" role="presentation" onMouseDown={onCancel}>
      <div className="modal" role="dialog" aria-modal="true" aria-label={title} onMouseDown={(e) => e.stopPropagation()}>
        <h3>{title}</h3>
        <p>{body}</p>
        {typedConfirmation !== undefined && (
          <label className="field">
            <span>
              Type <code>{typedConfirmation}</code> to confirm
            </span>
            <input autoFocus value={typed} onChange={(e) => setTyped(e.target.value)} aria-label="confirmation" />
          </label>
        )}
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`} disabled={!ready} onClick={onConfirm}>
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
