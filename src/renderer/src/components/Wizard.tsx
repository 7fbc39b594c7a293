import type { ReactNode } from 'react';

export interface WizardStep {
  id: string;
  title: string;
  content: ReactNode;
  /**
   * Why the operator cannot go on yet, shown beside a disabled Next; undefined when the step
   * is complete. A step that refuses for good (a failed preflight) says so here and sets `final`.
   */
  blocker?: string;
  /** Next's label on this step, when going on does something ("Run the restore"). */
  nextLabel?: string;
  /** Hides Next: the step ends the wizard or drives its own way forward (a running job). */
  final?: boolean;
}

interface Props {
  title: string;
  steps: WizardStep[];
  current: number;
  /** Steps before this one cannot be revisited: what they chose has already been acted on. */
  lockedBefore?: number;
  busy?: boolean;
  onStep(index: number): void;
  /** Called instead of moving on, when leaving the current step must do some work first. */
  onNext?(index: number): void;
  onClose(): void;
}

/**
 * Numbered steps with back and next: the operator sees where they are, what is left, and why
 * they cannot go on, instead of a button that does nothing.
 */
export function Wizard({ title, steps, current, lockedBefore = 0, busy = false, onStep, onNext, onClose }: Props) {
  const step = steps[current];
  if (!step) return null;
  const canBack = current > lockedBefore && !busy;
  const next = (): void => (onNext ? onNext(current) : onStep(current + 1));
  return (
    <section className="wizard" aria-label={title} data-testid="wizard">
      <header className="wizard-head">
        <h2>{title}</h2>
        <button type="button" className="btn btn-small" onClick={onClose} disabled={busy}>
          Close
        </button>
      </header>
      <ol className="wizard-steps">
        {steps.map((s, i) => {
          const state = i === current ? 'current' : i < current ? 'done' : 'todo';
          const reachable = i < current && i >= lockedBefore && !busy;
          return (
            <li key={s.id} className={`wizard-step wizard-step-${state}`} aria-current={i === current ? 'step' : undefined}>
              <button type="button" disabled={!reachable} onClick={() => onStep(i)} title={reachable ? `Back to ${s.title}` : undefined}>
                <span className="wizard-num">{state === 'done' ? '✓' : i + 1}</span>
                <span className="wizard-label">{s.title}</span>
              </button>
            </li>
          );
        })}
      </ol>
      <div className="wizard-body" data-testid={`wizard-step-${step.id}`}>
        <h3 className="wizard-step-title">
          <span className="muted">
            Step {current + 1} of {steps.length} ·
          </span>{' '}
          {step.title}
        </h3>
        {step.content}
      </div>
      <footer className="wizard-nav">
        <button type="button" className="btn" disabled={!canBack} onClick={() => onStep(current - 1)}>
          ← Back
        </button>
        <span className="spacer" />
        {step.blocker ? (
          <span className="wizard-blocker" role="status">
            {step.blocker}
          </span>
        ) : null}
        {step.final ? null : (
          <button type="button" className="btn btn-primary" disabled={step.blocker !== undefined || busy} onClick={next}>
            {busy ? 'Working…' : (step.nextLabel ?? 'Next →')}
          </button>
        )}
      </footer>
    </section>
  );
}
