import { useUi } from '../app/ui-store';

interface Props {
  hint: string;
  /** The profile in view, when one is chosen but not live: it is named rather than "no connection". */
  profileName?: string;
  state?: string;
  reason?: string;
  /** Other connections that are up, to switch to in one click. */
  others?: Array<{ id: string; name: string }>;
  onView?(id: string): void;
}

/** What a page that needs a live connection shows without one. */
export function NoConnection({ hint, profileName, state, reason, others = [], onView }: Props) {
  const go = useUi((s) => s.go);
  return (
    <div className="page empty-page">
      <h2>{profileName ? `${profileName} is ${state ?? 'not connected'}` : 'No live connection'}</h2>
      {reason && <p className="profile-reason">{reason}</p>}
      <p className="muted">{hint}</p>
      <div className="empty-page-actions">
        {others.map((o) => (
          <button type="button" key={o.id} className="btn btn-primary" onClick={() => onView?.(o.id)}>
            View {o.name}
          </button>
        ))}
        <button type="button" className={`btn${others.length ? '' : ' btn-primary'}`} onClick={() => go('connections')}>
          Go to connections
        </button>
      </div>
    </div>
  );
}
