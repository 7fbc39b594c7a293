import { useState } from 'react';
import type { OpInput } from '../../../../shared/contract';

type Proposal = OpInput<'swarms.propose'>['proposal'];

interface Props {
  strategy: string;
  typedConfirmation?: string;
  onSubmit(proposal: Proposal, confirm?: string): void;
  onCancel(): void;
}

/** The proposal as typed, what is wrong with it so far, and the proposal it makes. */
function useProposalDraft(strategy: string) {
  const [title, setTitle] = useState('');
  const [detail, setDetail] = useState('');
  const [secondsOpen, setSecondsOpen] = useState('30');
  const [threshold, setThreshold] = useState('0.66');
  // An empty title is only an error once the operator has been in the field: not on opening.
  const [titleTouched, setTitleTouched] = useState(false);
  const seconds = Number(secondsOpen);
  const share = Number(threshold);
  const errors = [
    title.trim() === '' && titleTouched ? 'A title is required' : '',
    !Number.isInteger(seconds) || seconds < 1 || seconds > 604_800 ? 'Voting stays open 1 s to 7 days' : '',
    strategy === 'weighted' && !(share > 0 && share <= 1) ? 'The threshold is a share above 0 and at most 1' : '',
  ].filter(Boolean);
  const proposal = (): Proposal => ({
    title: title.trim(),
    detail,
    ttlMs: seconds * 1000,
    ...(strategy === 'weighted' ? { threshold: share } : {}),
  });
  const touchTitle = (): void => setTitleTouched(true);
  return { title, setTitle, detail, setDetail, secondsOpen, setSecondsOpen, threshold, setThreshold, touchTitle, errors, proposal };
}

/** Opens a proposal for the swarm's agents to vote on; main validates it again. */
export function ProposalDialog({ strategy, typedConfirmation, onSubmit, onCancel }: Props) {
  const { title, setTitle, detail, setDetail, secondsOpen, setSecondsOpen, threshold, setThreshold, touchTitle, errors, proposal } =
    useProposalDraft(strategy);
  const [typed, setTyped] = useState('');
  const ready = errors.length === 0 && title.trim() !== '' && (typedConfirmation === undefined || typed === typedConfirmation);
  return (
    <div className="modal-backdrop" role="presentation" onMouseDown={onCancel}>
      <form
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-label="Open a proposal"
        onMouseDown={(e) => e.stopPropagation()}
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) onSubmit(proposal(), typedConfirmation);
        }}
      >
        <h3>Open a proposal</h3>
        <p className="muted">
          Every agent alive now may vote; the swarm decides by <strong>{strategy}</strong>.
        </p>
        <label className="field">
          <span>Title</span>
          <input
            autoFocus
            value={title}
            onChange={(e) => (setTitle(e.target.value), touchTitle())}
            onBlur={touchTitle}
            aria-label="Proposal title"
            maxLength={200}
          />
        </label>
        <label className="field">
          <span>Detail</span>
          <textarea value={detail} onChange={(e) => setDetail(e.target.value)} aria-label="Proposal detail" maxLength={4000} rows={3} />
        </label>
        <div className="inline">
          <label className="field">
            <span>Open for (seconds)</span>
            <input value={secondsOpen} onChange={(e) => setSecondsOpen(e.target.value)} aria-label="Seconds open" inputMode="numeric" />
          </label>
          {strategy === 'weighted' && (
            <label className="field">
              <span>Threshold (share of weight)</span>
              <input value={threshold} onChange={(e) => setThreshold(e.target.value)} aria-label="Threshold" />
            </label>
          )}
        </div>
        {errors.map((e) => (
          <p key={e} className="error-text">
            {e}
          </p>
        ))}
        {typedConfirmation !== undefined && (
          <label className="field">
            <span>
              Type <code>{typedConfirmation}</code> to confirm
            </span>
            <input value={typed} onChange={(e) => setTyped(e.target.value)} aria-label="confirmation" />
          </label>
        )}
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={!ready}>
            Open proposal
          </button>
        </div>
      </form>
    </div>
  );
}
