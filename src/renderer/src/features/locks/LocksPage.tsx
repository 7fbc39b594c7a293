import { useEffect, useState } from 'react';
import type { LockView } from '../../../../shared/contract/locks';
import { NoticeBar } from '../../components/notice';
import { useConfirmedAction } from '../../components/use-confirmed-action';
import { usePoll } from '../../components/use-poll';
import type { LiveConnection } from '../../app/page';
import { LocksTable } from './LocksTable';
import { useLocks } from './locks-store';

const POLL_MS = 1000;
/** The countdown redraws between polls, from the lease left when the list was read. */
const TICK_MS = 250;

/** Every held lock: its owner, the lease counting down, the fence, who waits; force release for operators. */
export function LocksPage({ connection }: { connection: LiveConnection }) {
  const { profileId, profile } = connection;
  const locks = useLocks((s) => s.locks);
  const readAt = useLocks((s) => s.readAt);
  const notice = useLocks((s) => s.notice);
  const [now, setNow] = useState(() => performance.now());

  useEffect(() => useLocks.getState().forProfile(profileId), [profileId]);
  usePoll(() => void useLocks.getState().load(), POLL_MS, [profileId]);
  usePoll(() => setNow(performance.now()), TICK_MS, []);

  const release = useConfirmedAction<LockView>({
    perform: async (lock, confirm) => {
      const r = await useLocks.getState().forceRelease(lock, confirm);
      return `Released ${lock.resource} (fence ${r.fence}, held by ${r.owner})`;
    },
    report: useLocks.getState().report,
  });

  return (
    <div className="page locks-page">
      <header className="page-head">
        <div>
          <h2>Locks</h2>
          <div className="muted">Every lease held on {profile.name}: its owner, the time left, the fence and who waits.</div>
        </div>
      </header>
      <NoticeBar notice={notice} />
      <section className="panel" aria-label="Held locks">
        <header className="panel-head">
          <h3>
            Held <span className="count">{locks?.length ?? 0}</span>
          </h3>
          <span className="muted">the fence is the token the holder passes to what it protects · refreshed every second</span>
        </header>
        {locks === undefined ? (
          <p className="muted">Loading…</p>
        ) : locks.length === 0 ? (
          <div className="empty-state" data-testid="locks-empty">
            <h3>No locks held</h3>
            <p className="muted">
              A lock appears here the moment an agent takes one (<code>locks.acquire</code> in the SDK, or <code>swarmdeck lock exec</code>
              ), with its lease counting down.
            </p>
          </div>
        ) : (
          <LocksTable locks={locks} connection={connection} elapsedMs={now - readAt} release={release} />
        )}
      </section>
      {release.dialog}
    </div>
  );
}
