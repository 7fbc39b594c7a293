import type { LockView } from '../../../../shared/contract/locks';
import { declaredGuard } from '../../../../shared/declared-guard';
import { confirmationOf } from '../../components/declared-action';
import { refusedProps } from '../../components/guard-button';
import type { ConfirmedAction } from '../../components/use-confirmed-action';
import type { LiveConnection } from '../../app/page';
import { ttlLeft } from './ttl';

interface Props {
  locks: LockView[];
  connection: LiveConnection;
  /** Time since the list was read: each lease counts down from what it was then. */
  elapsedMs: number;
  release: ConfirmedAction<LockView>;
}

/** The held locks, one row each, with the lease left. */
export function LocksTable({ locks, connection, elapsedMs, release }: Props) {
  return (
    <table className="data-table locks-table" data-testid="locks-table">
      <thead>
        <tr>
          <th>Resource</th>
          <th>Owner</th>
          <th className="num">Fence</th>
          <th className="num">Lease left</th>
          <th>Waiters</th>
          <th aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {locks.map((lock) => (
          <LockRow key={lock.resource} lock={lock} connection={connection} left={ttlLeft(lock.ttlMs, elapsedMs)} release={release} />
        ))}
      </tbody>
    </table>
  );
}

function LockRow({
  lock,
  connection,
  left,
  release,
}: {
  lock: LockView;
  connection: LiveConnection;
  left: number;
  release: ConfirmedAction<LockView>;
}) {
  const { profileId, profile } = connection;
  const decision = declaredGuard('locks.forceRelease', { profileId, resource: lock.resource, fence: lock.fence }, profile);
  return (
    <tr data-testid={`lock-${lock.resource}`}>
      <td className="mono">{lock.resource}</td>
      <td className="mono">{lock.owner}</td>
      <td className="num mono">{lock.fence}</td>
      <td className={`num mono${left < 1000 ? ' warn' : ''}`} data-testid="lock-ttl">
        {(left / 1000).toFixed(1)} s
      </td>
      <td>
        {lock.waiterCount === 0 ? (
          <span className="muted">none</span>
        ) : (
          <span title={lock.waiters.map((w) => `${w.id} until ${new Date(w.deadline).toLocaleTimeString()}`).join('\n')}>
            {lock.waiterCount} waiting
          </span>
        )}
      </td>
      <td>
        <button
          type="button"
          className="btn btn-small btn-ghost-danger"
          disabled={release.busy || !decision.allowed}
          {...refusedProps(decision)}
          onClick={() =>
            release.ask({
              payload: lock,
              title: `Force release ${lock.resource}?`,
              body: `${lock.owner ?? 'The holder'} (fence ${lock.fence}) keeps working until its next renewal fails, so for a moment two may act at once. What it protects must check the fence.`,
              confirmLabel: 'Force release',
              ...confirmationOf(decision),
            })
          }
        >
          Force release
        </button>
      </td>
    </tr>
  );
}
