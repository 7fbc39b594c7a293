import type { ProfileView } from '../../../../shared/model/profile';
import { useConsole, type ResultView } from './console-store';

const VIEWS: ResultView[] = ['table', 'json', 'raw'];

interface Props {
  profile: ProfileView;
  /** A cluster's nodes, to send a command to one of them; empty on a standalone server. */
  nodes: { address: string; role: string }[] | undefined;
  onRun(): void;
}

/** Run, the node a command goes to, how results are shown, and what the profile allows. */
export function ConsoleToolbar({ profile, nodes, onRun }: Props) {
  const view = useConsole((s) => s.view);
  const node = useConsole((s) => s.node);
  return (
    <div className="console-toolbar">
      <button
        type="button"
        className="btn btn-primary"
        onClick={onRun}
        data-testid="console-run"
        title="Run the line under the cursor, or the selection"
      >
        ▶ Run <kbd>Ctrl/⌘+Enter</kbd>
      </button>
      {nodes && (
        <label className="field inline">
          <span>Node</span>
          <select
            className="input"
            value={node ?? ''}
            onChange={(e) => useConsole.getState().setNode(e.target.value || undefined)}
            aria-label="node"
            data-testid="console-node"
          >
            <option value="">auto — route by key slot</option>
            {nodes.map((n) => (
              <option key={n.address} value={n.address}>
                {n.address} ({n.role})
              </option>
            ))}
          </select>
        </label>
      )}
      <div className="segmented" role="radiogroup" aria-label="result view">
        {VIEWS.map((v) => (
          <button
            key={v}
            type="button"
            role="radio"
            aria-checked={view === v}
            className={view === v ? 'active' : ''}
            onClick={() => useConsole.getState().setView(v)}
          >
            {v === 'raw' ? 'Raw' : v === 'json' ? 'JSON' : 'Table'}
          </button>
        ))}
      </div>
      {profile.readOnly && (
        <span className="chip chip-warn" title="Commands that change data are refused">
          read-only
        </span>
      )}
      {profile.environment === 'production' && <span className="chip chip-danger">production — every command is audited</span>}
    </div>
  );
}
