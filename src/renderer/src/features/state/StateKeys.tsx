import { useMemo } from 'react';
import type { GuardDecision } from '../../../../shared/guards';
import type { StateKeySummary } from '../../../../shared/contract/state';
import { refusedProps } from '../../components/guard-button';
import { SCAN_BUDGET, useSharedState } from './state-store';

interface Props {
  /** The "New key" opener's decision: the same as its form's button. */
  newDecision: GuardDecision;
  busy: boolean;
  onNew(): void;
  onPick(key: string): void;
}

/** The state keys grouped by namespace, and the opener of a new one. */
export function StateKeys({ newDecision, busy, onNew, onPick }: Props) {
  const keys = useSharedState((s) => s.keys);
  const selected = useSharedState((s) => s.selected);
  const byNamespace = useMemo(() => {
    const groups = new Map<string, StateKeySummary[]>();
    for (const k of keys?.keys ?? []) groups.set(k.namespace, [...(groups.get(k.namespace) ?? []), k]);
    return [...groups.entries()];
  }, [keys]);
  return (
    <section className="panel" aria-label="State keys">
      <header className="panel-head">
        <h3>
          Keys <span className="count">{keys?.keys.length ?? 0}</span>
        </h3>
        <span className="inline">
          <span className="muted">
            {keys && !keys.complete ? `first ${SCAN_BUDGET.toLocaleString()} keys scanned — not all` : 'by namespace'}
          </span>
          <button
            type="button"
            className="btn btn-small"
            disabled={busy || !newDecision.allowed}
            {...refusedProps(newDecision)}
            onClick={onNew}
          >
            New key
          </button>
        </span>
      </header>
      {keys && keys.keys.length === 0 && (
        <p className="muted empty-list" data-testid="state-empty">
          No state keys yet — agents write them with <code>state.set</code>; each write becomes the next version.
        </p>
      )}
      {byNamespace.map(([namespace, list]) => (
        <details key={namespace} open>
          <summary className="mono">
            {namespace || '(no namespace)'} <span className="muted">{list.length}</span>
          </summary>
          <ul className="plain-list">
            {list.map((k) => (
              <li key={k.key}>
                <button type="button" className={`state-key${k.key === selected ? ' selected' : ''}`} onClick={() => onPick(k.key)}>
                  <span className="mono">{k.key}</span>{' '}
                  <span className="muted">
                    v{k.version}
                    {k.source ? ` · ${k.source}` : ''}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </details>
      ))}
    </section>
  );
}
