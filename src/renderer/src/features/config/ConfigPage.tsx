import { useEffect } from 'react';
import { CONFIG_SCOPES } from '../../../../shared/model/config';
import { NoticeBar } from '../../components/notice';
import type { LiveConnection } from '../../app/page';
import { CompareEnvironments } from './CompareEnvironments';
import { ConfigDocument } from './ConfigDocument';
import { ConfigHistory } from './ConfigHistory';
import { useConfig } from './config-store';
import { useConfigActions } from './use-config-actions';

/** One scope's document in a JSON editor checked against its schema; its versions; the same scope in another environment. */
export function ConfigPage({ connection }: { connection: LiveConnection }) {
  const { profileId } = connection;
  const scope = useConfig((s) => s.scope);
  const notice = useConfig((s) => s.notice);
  const actions = useConfigActions(connection);

  useEffect(() => {
    useConfig.getState().forProfile(profileId);
    void useConfig.getState().load();
  }, [profileId, scope]);

  return (
    <div className="page config-page">
      <header className="page-head">
        <div>
          <h2>Config</h2>
          <div className="muted">
            One scope's document checked against its schema, its versions, and the same scope in another environment.
          </div>
        </div>
        <div className="segmented config-scopes" role="tablist" aria-label="Scope">
          {CONFIG_SCOPES.map((s) => (
            <button
              key={s}
              type="button"
              role="tab"
              aria-selected={s === scope}
              className={`seg${s === scope ? ' on' : ''}`}
              onClick={() => useConfig.getState().setScope(s)}
            >
              {s}
            </button>
          ))}
        </div>
      </header>
      <NoticeBar notice={notice} />
      <div className="two-col">
        <ConfigDocument actions={actions} />
        <ConfigHistory actions={actions} />
      </div>
      <CompareEnvironments connection={connection} actions={actions} />
      {actions.action.dialog}
    </div>
  );
}
