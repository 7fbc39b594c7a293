import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import type { LiveConnection } from '../../app/page';
import { NoticeBar, type Notice } from '../../components/notice';
import { useHealth } from '../overview/health-store';
import { useConsole } from './console-store';
import { ConsoleTabs } from './ConsoleTabs';
import { ConsoleToolbar } from './ConsoleToolbar';
import { HistoryPanel } from './HistoryPanel';
import { ProfilerTab } from './ProfilerTab';
import { CommandIndex } from './redis-language';
import { RunCard } from './RunCard';
import { useConsoleRun } from './use-console-run';

const RedisEditor = lazy(() => import('./RedisEditor'));

export function ConsolePage({ connection }: { connection: LiveConnection }) {
  const { profileId, profile } = connection;
  const catalogue = useConsole((s) => s.catalogue);
  const runs = useConsole((s) => s.runs);
  const tab = useConsole((s) => s.tab);
  const prefill = useConsole((s) => s.prefill);
  const draft = useConsole((s) => s.draft);
  const snapshot = useHealth((s) => s.latest[profileId]);
  const [notice, setNotice] = useState<Notice | undefined>();
  const cluster = profile.topology.kind === 'cluster';
  const nodes = useMemo(() => (snapshot?.nodes ?? []).map((n) => ({ address: n.address, role: n.role })), [snapshot]);
  const index = useMemo(() => (catalogue ? new CommandIndex(catalogue) : undefined), [catalogue]);
  const { run, dialog } = useConsoleRun(profile, index, setNotice);

  useEffect(() => {
    useConsole.getState().forProfile(profileId);
  }, [profileId]);
  const runCurrent = useRef<() => void>(() => undefined);

  return (
    <div className="page console-page">
      <ConsoleTabs />
      <div className="console-layout" hidden={tab !== 'console'}>
        <main className="console-main">
          <ConsoleToolbar profile={profile} nodes={cluster ? nodes : undefined} onRun={() => runCurrent.current()} />
          <Suspense fallback={<div className="console-editor muted">Loading the editor…</div>}>
            <RedisEditor
              catalogue={catalogue}
              exposeRun={(fn) => {
                runCurrent.current = fn;
              }}
              value={prefill}
              initial={draft || '# Ctrl/Cmd+Enter runs the line under the cursor, or the selection\nINFO server\n'}
              onRun={run}
              onFilled={(text) => useConsole.getState().filled(text)}
              onLeave={(text) => useConsole.getState().keepDraft(text)}
            />
          </Suspense>
          <NoticeBar notice={notice} />
          <div className="console-results" aria-label="Results">
            {runs.length === 0 && (
              <p className="muted empty-results">Results appear here: tables for lists and maps, fan-outs side by side per node.</p>
            )}
            {runs.map((r) => (
              <RunCard key={r.id} run={r} />
            ))}
          </div>
        </main>
        <HistoryPanel />
      </div>
      {/* Hidden, not unmounted: a running profiler keeps its lines while the operator types a command. */}
      <div hidden={tab !== 'profiler'}>
        <ProfilerTab connection={connection} nodes={cluster ? nodes.filter((n) => n.role === 'master').map((n) => n.address) : []} />
      </div>
      {dialog}
    </div>
  );
}
