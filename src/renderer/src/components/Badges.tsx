import type { ConnectionStatus } from '../../../shared/model/health';
import type { Environment } from '../../../shared/model/profile';

const ENV_LABEL: Record<Environment, string> = { development: 'DEV', staging: 'STAGING', production: 'PROD' };

export function EnvBadge({ environment }: { environment: Environment }) {
  return (
    <span className={`env-badge env-${environment}`} title={environment}>
      {ENV_LABEL[environment]}
    </span>
  );
}

/** Shown wherever the environment is, so nobody wonders why the action buttons are off. */
export function ReadOnlyBadge() {
  return (
    <span className="tag tag-warn" title="every write is refused in the main process" data-testid="read-only-badge">
      read-only
    </span>
  );
}

const STATE_LABEL: Record<ConnectionStatus['state'], string> = {
  connecting: 'connecting',
  connected: 'connected',
  reconnecting: 'reconnecting',
  failed: 'failed',
  disconnected: 'disconnected',
};

export function StatusPill({ status }: { status?: ConnectionStatus }) {
  const state = status?.state ?? 'disconnected';
  const extra = state === 'reconnecting' && status?.attempt ? ` · attempt ${status.attempt}` : '';
  return (
    <span className={`status-pill status-${state}`} title={status?.reason ?? STATE_LABEL[state]} data-testid="status-pill">
      <span className="dot" />
      {STATE_LABEL[state]}
      {extra}
    </span>
  );
}
