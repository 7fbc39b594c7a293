import { useMemo, useRef, useState } from 'react';
import { SwarmdeckError } from '../../../shared/errors';
import { describeTopology, type ProfileView } from '../../../shared/model/profile';
import { EnvBadge, StatusPill } from '../components/Badges';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ProfileEditor } from '../components/ProfileEditor';
import { emptyForm, formFromProfile, type ProfileForm } from '../components/profile-form-model';
import { isLive, useConnections } from '../stores/connections-store';
import { useProfiles } from '../stores/profiles-store';
import { useUi } from '../stores/ui-store';

type Editing = { mode: 'none' } | { mode: 'form'; form: ProfileForm; key: number };

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

function Welcome({ onNew }: { onNew(form: ProfileForm): void }) {
  const sandbox = useProfiles((s) => s.sandbox);
  const startSandbox = useProfiles((s) => s.startSandbox);
  const connect = useConnections((s) => s.connect);
  const go = useUi((s) => s.go);
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const start = async (): Promise<void> => {
    setState({ busy: true });
    try {
      const profile = await startSandbox();
      await connect(profile.id);
      go('overview');
    } catch (error) {
      setState({ busy: false, error: error instanceof Error ? error.message : String(error) });
    }
  };
  return (
    <div className="welcome">
      <h2>Welcome to Swarmdeck</h2>
      <p>Connect to the Redis that coordinates your agents. One profile per environment; production profiles are guarded.</p>
      <div className="welcome-cards">
        <div className="welcome-card">
          <h3>Local sandbox</h3>
          {sandbox?.available ? (
            <>
              <p>Start a private <code>redis-server</code> on a free loopback port with its own data directory. It stops when Swarmdeck quits.</p>
              <button type="button" className="btn btn-primary" onClick={() => void start()} disabled={state.busy}>
                {state.busy ? 'Starting…' : 'Start sandbox'}
              </button>
            </>
          ) : (
            <p className="muted">{sandbox?.hint ?? 'Checking for redis-server…'}</p>
          )}
          {state.error && <p className="error-text">{state.error}</p>}
        </div>
        <div className="welcome-card">
          <h3>Existing server</h3>
          <p>Standalone or cluster, with TLS and an ACL user. Start from <code>127.0.0.1:6379</code>.</p>
          <button type="button" className="btn" onClick={() => onNew({ ...emptyForm(), name: 'local' })}>New profile</button>
        </div>
      </div>
    </div>
  );
}

export function ConnectionsPage() {
  const profiles = useProfiles((s) => s.profiles);
  const loaded = useProfiles((s) => s.loaded);
  const remove = useProfiles((s) => s.remove);
  const duplicate = useProfiles((s) => s.duplicate);
  const importJson = useProfiles((s) => s.importJson);
  const exportJson = useProfiles((s) => s.exportJson);
  const statuses = useConnections((s) => s.statuses);
  const busy = useConnections((s) => s.busy);
  const connect = useConnections((s) => s.connect);
  const disconnect = useConnections((s) => s.disconnect);
  const setActive = useConnections((s) => s.setActive);
  const go = useUi((s) => s.go);
  const secretsWarning = useProfiles((s) => s.info?.secrets.warning);
  const [editing, setEditing] = useState<Editing>({ mode: 'none' });
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | undefined>();
  const [removing, setRemoving] = useState<ProfileView | undefined>();
  const fileInput = useRef<HTMLInputElement>(null);
  const edits = useRef(0);
  const edit = (form: ProfileForm): void => setEditing({ mode: 'form', form, key: (edits.current += 1) });
  const grouped = useMemo(
    () => (['production', 'staging', 'development'] as const).map((env) => ({ env, items: profiles.filter((p) => p.environment === env) })),
    [profiles],
  );

  const report = (error: unknown): void =>
    setNotice({ kind: 'error', text: error instanceof SwarmdeckError || error instanceof Error ? error.message : String(error) });

  const onConnect = async (p: ProfileView): Promise<void> => {
    setNotice(undefined);
    try {
      await connect(p.id);
      go('overview');
    } catch (error) {
      report(error);
    }
  };

  const onImport = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    try {
      const imported = await importJson(await file.text());
      setNotice({ kind: 'ok', text: `Imported ${imported.length} profile${imported.length === 1 ? '' : 's'}. Passwords are not part of exports: set them on each profile.` });
    } catch (error) {
      report(error);
    }
  };

  return (
    <div className="page connections-page">
      <aside className="profile-list" aria-label="Profiles">
        <div className="list-toolbar">
          <button type="button" className="btn btn-primary" onClick={() => edit(emptyForm())}>+ New profile</button>
          <button type="button" className="btn" onClick={() => fileInput.current?.click()}>Import</button>
          <button type="button" className="btn" disabled={profiles.length === 0} onClick={() => void exportJson().then((json) => download('swarmdeck-profiles.json', json), report)}>Export</button>
          <input ref={fileInput} type="file" accept="application/json" hidden onChange={(e) => void onImport(e.target.files?.[0])} />
        </div>
        {notice && <div className={`notice notice-${notice.kind}`} role="status">{notice.text}</div>}
        {secretsWarning && <div className="notice notice-error" data-testid="secrets-warning">{secretsWarning}</div>}
        {grouped.map(({ env, items }) =>
          items.length === 0 ? null : (
            <section key={env} className="profile-group">
              <h5>{env}</h5>
              {items.map((p) => {
                const status = statuses[p.id];
                const live = isLive(status);
                return (
                  <article key={p.id} className={`profile-card env-edge-${p.environment}`} data-testid={`profile-${p.id}`}>
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
                      {p.readOnly && <span className="tag tag-warn">read-only</span>}
                      {p.sandbox && <span className="tag">sandbox</span>}
                    </div>
                    {status?.state === 'failed' || status?.state === 'reconnecting' ? <div className="profile-reason">{status.reason}</div> : null}
                    <div className="profile-actions">
                      {live ? (
                        <>
                          <button type="button" className="btn btn-small btn-primary" onClick={() => (setActive(p.id), go('overview'))}>Overview</button>
                          <button type="button" className="btn btn-small" onClick={() => void disconnect(p.id).catch(report)}>Disconnect</button>
                        </>
                      ) : (
                        <button type="button" className="btn btn-small btn-primary" disabled={busy[p.id]} onClick={() => void onConnect(p)}>
                          {busy[p.id] ? 'Connecting…' : 'Connect'}
                        </button>
                      )}
                      <button type="button" className="btn btn-small" onClick={() => edit(formFromProfile(p))}>Edit</button>
                      <button type="button" className="btn btn-small" onClick={() => void duplicate(p.id, `${p.name} copy`).catch(report)}>Duplicate</button>
                      <button type="button" className="btn btn-small btn-ghost-danger" onClick={() => setRemoving(p)}>Delete</button>
                    </div>
                  </article>
                );
              })}
            </section>
          ),
        )}
        {loaded && profiles.length === 0 && <p className="muted empty-list">No profiles yet.</p>}
      </aside>
      <main className="profile-detail">
        {editing.mode === 'form' ? (
          <ProfileEditor
            key={editing.key}
            initial={editing.form}
            onCancel={() => setEditing({ mode: 'none' })}
            onSaved={(id) => {
              setEditing({ mode: 'none' });
              setNotice({ kind: 'ok', text: `Saved profile "${profiles.find((p) => p.id === id)?.name ?? id}".` });
            }}
          />
        ) : profiles.length === 0 && loaded ? (
          <Welcome onNew={edit} />
        ) : (
          <div className="detail-hint">
            <h3>Connection profiles</h3>
            <p>Pick a profile to connect, or create one per environment. Passwords stay in the main process (OS keychain in the desktop app); exports never contain them.</p>
          </div>
        )}
      </main>
      {removing && (
        <ConfirmDialog
          title={`Delete profile "${removing.name}"?`}
          body="The profile and its stored password are removed from this machine. Nothing in Redis changes."
          confirmLabel="Delete profile"
          danger
          typedConfirmation={removing.environment === 'production' ? removing.name : undefined}
          onCancel={() => setRemoving(undefined)}
          onConfirm={() => {
            const target = removing;
            setRemoving(undefined);
            void remove(target.id).catch(report);
          }}
        />
      )}
    </div>
  );
}
