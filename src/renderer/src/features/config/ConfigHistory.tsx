import { refusedProps } from '../../components/guard-button';
import { useConfig } from './config-store';
import type { ConfigActions } from './use-config-actions';

/** The scope's kept versions, newest first; any but the current one can be rolled back to. */
export function ConfigHistory({ actions }: { actions: ConfigActions }) {
  const history = useConfig((s) => s.history);
  const current = useConfig((s) => s.entry?.version);
  return (
    <section className="panel" aria-label="History">
      <header className="panel-head">
        <h3>
          History <span className="count">{history.length}</span>
        </h3>
      </header>
      <table className="data-table" data-testid="config-history">
        <thead>
          <tr>
            <th className="num">Version</th>
            <th>How</th>
            <th>By</th>
            <th>When</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {history.map((v) => (
            <tr key={v.version} data-testid={`config-version-${v.version}`}>
              <td className="num mono">{v.version}</td>
              <td title={v.reason}>{v.origin}</td>
              <td className="mono">{v.by}</td>
              <td>{new Date(v.at).toLocaleString()}</td>
              <td>{v.version !== current && <RollbackButton version={v.version} actions={actions} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function RollbackButton({ version, actions }: { version: number; actions: ConfigActions }) {
  const decision = actions.rollbackDecision(version);
  return (
    <button
      type="button"
      className="btn btn-small"
      disabled={actions.action.busy || !decision.allowed}
      {...refusedProps(decision)}
      onClick={() => actions.askRollback(version)}
    >
      Roll back
    </button>
  );
}
