import { useEffect, useState } from 'react';
import type { ConfigDiff } from '../../../../shared/contract/config';
import type { ProfileView } from '../../../../shared/model/profile';
import { refusedProps } from '../../components/guard-button';
import type { LiveConnection } from '../../app/page';
import { isLive, useConnections } from '../connections/connections-store';
import { useProfiles } from '../connections/profiles-store';
import { useConfig } from './config-store';
import type { ConfigActions } from './use-config-actions';

const show = (v: unknown): string => (v === undefined ? '—' : JSON.stringify(v));

/** The same scope in another connected environment, field by field, and promotion either way. */
export function CompareEnvironments({
  connection: { profileId, profile },
  actions,
}: {
  connection: LiveConnection;
  actions: ConfigActions;
}) {
  const [otherId, setOtherId] = useState('');
  const scope = useConfig((s) => s.scope);
  const version = useConfig((s) => s.entry?.version);
  const diff = useConfig((s) => s.diff);
  const profiles = useProfiles((s) => s.profiles);
  const statuses = useConnections((s) => s.statuses);
  const others = profiles.filter((p) => p.id !== profileId && isLive(statuses[p.id]));
  const other = others.find((p) => p.id === otherId);
  const otherLiveId = other?.id;
  useEffect(() => {
    if (otherLiveId !== undefined) void useConfig.getState().compare(otherLiveId);
  }, [profileId, otherLiveId, scope, version]);
  // Only the comparison asked for last is shown: a slower answer about another pair is ignored.
  const shown = diff && diff.otherId === otherLiveId && diff.scope === scope ? diff.diff : undefined;
  return (
    <section className="panel" aria-label="Environments">
      <header className="panel-head">
        <h3>Compare environments</h3>
        <label>
          {profile.name} against{' '}
          <select className="input" value={otherId} onChange={(e) => setOtherId(e.target.value)} aria-label="Other environment">
            <option value="">choose a connected profile</option>
            {others.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.environment})
              </option>
            ))}
          </select>
        </label>
      </header>
      {others.length === 0 && <p className="muted">Connect a second profile to compare and promote.</p>}
      {shown && other && (
        <>
          <DiffTable diff={shown} left={profile} right={other} />
          <div className="config-promote">
            <PromoteButton from={profile} to={other} actions={actions} />
            <PromoteButton from={other} to={profile} actions={actions} />
          </div>
        </>
      )}
    </section>
  );
}

function DiffTable({ diff, left, right }: { diff: ConfigDiff; left: ProfileView; right: ProfileView }) {
  return (
    <table className="data-table config-diff" data-testid="config-diff">
      <thead>
        <tr>
          <th>Field</th>
          <th>
            {left.name} <span className="muted">v{diff.left.version}</span>
          </th>
          <th>
            {right.name} <span className="muted">v{diff.right.version}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {diff.changes.length === 0 && (
          <tr>
            <td colSpan={3} className="muted">
              The same in both.
            </td>
          </tr>
        )}
        {diff.changes.map((c) => (
          <tr key={c.path} className={`diff-${c.kind}`}>
            <td className="mono">{c.path}</td>
            <td className="mono">{show(c.left)}</td>
            <td className="mono">{show(c.right)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PromoteButton({ from, to, actions }: { from: ProfileView; to: ProfileView; actions: ConfigActions }) {
  const decision = actions.promoteDecision(from, to);
  return (
    <button
      type="button"
      className="btn btn-small btn-ghost-danger"
      disabled={actions.action.busy || !decision.allowed}
      {...refusedProps(decision)}
      onClick={() => actions.askPromote(from, to)}
    >
      Promote {from.name} → {to.name}
    </button>
  );
}
