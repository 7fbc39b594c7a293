import { declaredGuard } from '../../../../shared/declared-guard';
import { describeTopology, type ProfileView } from '../../../../shared/model/profile';
import { useUi } from '../../app/ui-store';
import { EnvBadge, ReadOnlyBadge, StatusPill } from '../../components/Badges';
import { refusedProps } from '../../components/guard-button';
import { isLive, useConnections } from './connections-store';
import { useProfiles } from './profiles-store';

interface Props {
  profile: ProfileView;
  onConnect(profile: ProfileView): void;
  onEdit(profile: ProfileView): void;
  onDelete(profile: ProfileView): void;
  report(error: unknown): void;
}

/** One profile: what it points at, its live status, and what can be done with it. */
export function ProfileCard({ profile: p, onConnect, onEdit, onDelete, report }: Props) {
  const status = useConnections((s) => s.statuses[p.id]);
  const busy = useConnections((s) => s.busy[p.id]);
  const disconnect = useConnections((s) => s.disconnect);
  const setActive = useConnections((s) => s.setActive);
  const duplicate = useProfiles((s) => s.duplicate);
  const go = useUi((s) => s.go);
  const live = isLive(status);
  return (
    <article className={`profile-card env-edge-${p.environment}`} data-testid={`profile-${p.id}`}>
      <div className="profile-card-head">
        <EnvBadge environment={p.environment} />
        <strong className="profile-name">{p.name}</strong>
        <StatusPill status={status} />
      </div>
      <div className="profile-meta">
        <span className="mono">{describeTopology(p.topology)}</span>
        {p.tls.enabled && <span className="tag">TLS{p.tls.verify ? '' : ' (unverified)'}</span>}
        {p.username && <span className="tag">user {p.username}</span>}
        {p.hasPassword && <span className="tag">password</span>}
        {p.readOnly && <ReadOnlyBadge />}
        {p.sandbox && <span className="tag">sandbox</span>}
      </div>
      {status?.state === 'failed' || status?.state === 'reconnecting' ? <div className="profile-reason">{status.reason}</div> : null}
      <div className="profile-actions">
        {live ? (
          <>
            <button type="button" className="btn btn-small btn-primary" onClick={() => (setActive(p.id), go('overview'))}>
              Overview
            </button>
            <button type="button" className="btn btn-small" onClick={() => void disconnect(p.id).catch(report)}>
              Disconnect
            </button>
          </>
        ) : (
          <button type="button" className="btn btn-small btn-primary" disabled={busy} onClick={() => onConnect(p)}>
            {busy ? 'Connecting…' : 'Connect'}
          </button>
        )}
        <button type="button" className="btn btn-small" onClick={() => onEdit(p)}>
          Edit
        </button>
        <button type="button" className="btn btn-small" onClick={() => void duplicate(p.id, `${p.name} copy`).catch(report)}>
          Duplicate
        </button>
        <button
          type="button"
          className="btn btn-small btn-ghost-danger"
          {...refusedProps(declaredGuard('profiles.remove', { id: p.id }, p))}
          onClick={() => onDelete(p)}
        >
          Delete
        </button>
      </div>
    </article>
  );
}
