import type { MemorySpace } from '../../../../shared/model/memory';
import { spaceName } from './memory-space';
import { useMemory } from './memory-store';

/** Every namespace with memory in it, grouped by agent, with its count of kept conflicts. */
export function SpacesPanel({ onChoose }: { onChoose(space: MemorySpace): void }) {
  const spaces = useMemory((s) => s.spaces);
  const space = useMemory((s) => s.space);
  const agents = [...new Set(spaces.map((s) => s.agent ?? 'shared'))];
  return (
    <section className="panel" aria-label="Namespaces">
      <header className="panel-head">
        <h3>
          Namespaces <span className="count">{spaces.length}</span>
        </h3>
        <span className="muted">by agent</span>
      </header>
      {spaces.length === 0 && <p className="muted">No memory written yet.</p>}
      {agents.map((agent) => (
        <details key={agent} open>
          <summary className="mono">{agent}</summary>
          <ul className="plain-list">
            {spaces
              .filter((s) => (s.agent ?? 'shared') === agent)
              .map((s) => (
                <li key={spaceName(s)}>
                  <button
                    type="button"
                    className={`state-key${space && spaceName(space) === spaceName(s) ? ' selected' : ''}`}
                    onClick={() => onChoose(s)}
                    data-testid={`memory-space-${spaceName(s)}`}
                  >
                    <span className="mono">{s.namespace}</span>
                    {s.conflicts > 0 && (
                      <span className="tag tag-warn">
                        {s.conflicts} conflict{s.conflicts === 1 ? '' : 's'}
                      </span>
                    )}
                  </button>
                </li>
              ))}
          </ul>
        </details>
      ))}
    </section>
  );
}
