import { useState } from 'react';
import type { LockView } from '../../../../shared/contract/locks';
import { declaredGuard } from '../../../../shared/declared-guard';
import { confirmationOf } from '../../components/declared-action';
import { refusedProps } from '../../components/guard-button';
import { errorText, NoticeBar, type Notice } from '../../components/notice';
import { useConfirmedAction } from '../../components/use-confirmed-action';
import { usePoll } from '../../components/use-poll';
import { transport } from '../../transport';
import type { LiveConnection } from '../../app/page';
import { ttlLeft } from './ttl';

const POLL_MS = 1000;
/** The countdown redraws between polls, from the lease left when the list was read. */
const TICK_MS = 250;

/** Every held lock: its owner, the lease counting down, the fence, who waits; force release for operators. */
export function LocksPage({ connection }: { connection: LiveConnection }) {
  const { profileId, profile } = connection;
  const [locks, setLocks] = useState<LockView[] | undefined>();
  const [readAt, setReadAt] = useState(0);
  const [now, setNow] = useState(() => performance.now());
  const [notice, setNotice] = useState<Notice | undefined>();

  const load = (): void => {
    transport
      .call('locks.list', { profileId })
      .then((list) => {
        setLocks(list);
        setReadAt(performance.now());
      })
      .catch((error: unknown) => setNotice({ kind: 'error', text: errorText(error) }));
  };
  usePoll(load, POLL_MS, [profileId]);
  usePoll(() => setNow(performance.now()), TICK_MS, []);

  const release = useConfirmedAction<LockView>({
    perform: async (lock, confirm) => {
      const r = await transport.call('locks.forceRelease', {
        profileId,
        resource: lock.resource,
        fence: lock.fence,
        ...(confirm ? { confirm } : {}),
      });
      load();
      return `Released ${lock.resource} (fence ${r.fence}, held by ${r.owner})`;
    },
    report: setNotice,
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
              {locks.map((lock) => {
                const decision = declaredGuard('locks.forceRelease', { profileId, resource: lock.resource, fence: lock.fence }, profile);
                const left = ttlLeft(lock.ttlMs, now - readAt);
                return (
                  <tr key={lock.resource} data-testid={`lock-${lock.resource}`}>
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
              })}
            </tbody>
          </table>
        )}
      </section>
      {release.dialog}
    </div>
  );
}
