import { useState } from 'react';
import { useUi } from '../../app/ui-store';
import { errorText } from '../../components/notice';
import { useConnections } from './connections-store';
import { emptyForm, type ProfileForm } from './profile-form-model';
import { useProfiles } from './profiles-store';

/** First run: a private sandbox in one click, or a profile for an existing server. */
export function Welcome({ onNew }: { onNew(form: ProfileForm): void }) {
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
      setState({ busy: false, error: errorText(error) });
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
              <p>
                Start a private <code>redis-server</code> on a free loopback port with its own data directory. It stops when Swarmdeck
                quits.
              </p>
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
          <p>
            Standalone or cluster, with TLS and an ACL user. Start from <code>127.0.0.1:6379</code>.
          </p>
          <button type="button" className="btn" onClick={() => onNew({ ...emptyForm(), name: 'local' })}>
            New profile
          </button>
        </div>
      </div>
    </div>
  );
}
