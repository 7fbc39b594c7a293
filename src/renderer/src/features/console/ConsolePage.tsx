import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { SwarmdeckError } from '../../../../shared/errors';
import { guard, type GuardDecision, type GuardedAction } from '../../../../shared/guards';
import type { CommandClass } from '../../../../shared/model/console';
import type { LiveConnection } from '../../app/page';
import { NoticeBar, type Notice } from '../../components/notice';
import { useConfirmedAction } from '../../components/use-confirmed-action';
import { useHealth } from '../overview/health-store';
import { useConsole, type ResultView } from './console-store';
import { HistoryPanel } from './HistoryPanel';
import { ProfilerTab } from './ProfilerTab';
import { CommandIndex, linesToRun, splitWords } from './redis-language';
import { RunCard } from './RunCard';

const RedisEditor = lazy(() => import('./RedisEditor'));

const ACTION_OF: Partial<Record<CommandClass, GuardedAction>> = { write: 'console.write', dangerous: 'console.dangerous' };
const VIEWS: ResultView[] = ['table', 'json', 'raw'];

interface Pending {
  text: string;
}

export function ConsolePage({ connection }: { connection: LiveConnection }) {
  const { profileId, profile } = connection;
  const catalogue = useConsole((s) => s.catalogue);
  const catalogueError = useConsole((s) => s.catalogueError);
  const runs = useConsole((s) => s.runs);
  const view = useConsole((s) => s.view);
  const tab = useConsole((s) => s.tab);
  const node = useConsole((s) => s.node);
  const prefill = useConsole((s) => s.prefill);
  const draft = useConsole((s) => s.draft);
  const snapshot = useHealth((s) => s.latest[profileId]);
  const [notice, setNotice] = useState<Notice | undefined>();
  const cluster = profile.topology.kind === 'cluster';
  const nodes = useMemo(() => (snapshot?.nodes ?? []).map((n) => ({ address: n.address, role: n.role })), [snapshot]);
  const index = useMemo(() => (catalogue ? new CommandIndex(catalogue) : undefined), [catalogue]);

  useEffect(() => {
    useConsole.getState().forProfile(profileId);
  }, [profileId]);
  const runCurrent = useRef<() => void>(() => undefined);

  /** The strictest decision among the lines: a refusal wins, then a confirmation. */
  const decide = (lines: string[]): { decision?: GuardDecision; command?: string } => {
    let worst: { decision?: GuardDecision; command?: string } = {};
    for (const line of lines) {
      const resolved = index?.resolve(splitWords(line).map((w) => w.text));
      const action = resolved ? ACTION_OF[resolved.command.class] : undefined;
      if (!action || !resolved) continue;
      const decision = guard(profile, action, { name: profile.name });
      if (!decision.allowed) return { decision, command: resolved.command.name };
      // On production only dangerous commands ask for the typed name; main asks the same.
      if (decision.confirm && action === 'console.dangerous' && !worst.decision) worst = { decision, command: resolved.command.name };
    }
    return worst;
  };

  const confirmed = useConfirmedAction<Pending>({
    perform: async (p, confirm) => {
      await useConsole
        .getState()
        .exec(p.text, confirm)
        .catch(() => undefined);
      return undefined;
    },
    report: setNotice,
  });

  const run = (text: string): void => {
    const lines = linesToRun(text);
    if (lines.length === 0) return;
    const joined = lines.join('\n');
    setNotice(undefined);
    const { decision, command } = decide(lines);
    if (decision && !decision.allowed) {
      setNotice({ kind: 'error', text: `${command}: ${decision.reason ?? 'refused'}` });
      return;
    }
    if (decision?.confirm) {
      confirmed.ask({
        payload: { text: joined },
        title: `Run ${command} on ${profile.name}`,
        body: `${command} is a dangerous command: it can lose data or stop the server. ${decision.confirm.prompt}.`,
        confirmLabel: `Run ${command}`,
        danger: true,
        typed: decision.confirm.expected,
      });
      return;
    }
    useConsole
      .getState()
      .exec(joined)
      .catch((error: unknown) => {
        // Main knows better than the catalogue: when it asks for the typed name, ask the operator.
        if (error instanceof SwarmdeckError && error.code === 'CONFIRMATION_REQUIRED' && typeof error.details?.expected === 'string') {
          confirmed.ask({
            payload: { text: joined },
            title: `Confirm on ${profile.name}`,
            body: error.message,
            confirmLabel: 'Run',
            danger: true,
            typed: error.details.expected,
          });
        }
      });
  };

  return (
    <div className="page console-page">
      <div className="console-tabs" role="tablist">
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'console'}
          className={`tab${tab === 'console' ? ' active' : ''}`}
          onClick={() => useConsole.getState().setTab('console')}
        >
          Console
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'profiler'}
          className={`tab${tab === 'profiler' ? ' active' : ''}`}
          onClick={() => useConsole.getState().setTab('profiler')}
        >
          Profiler
        </button>
        <span className="console-source muted" data-testid="catalogue-source">
          {catalogue
            ? `${catalogue.commands.length} commands · Redis ${catalogue.version} · ${catalogue.source === 'server' ? "from the server's COMMAND DOCS" : 'shipped snapshot'}`
            : catalogueError
              ? `No command catalogue: ${catalogueError}`
              : 'Loading commands…'}
        </span>
      </div>
      <div className="console-layout" hidden={tab !== 'console'}>
        <main className="console-main">
          <div className="console-toolbar">
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => runCurrent.current()}
              data-testid="console-run"
              title="Run the line under the cursor, or the selection"
            >
              ▶ Run <kbd>Ctrl/⌘+Enter</kbd>
            </button>
            {cluster && (
              <label className="field inline">
                <span>Node</span>
                <select
                  className="input"
                  value={node ?? ''}
                  onChange={(e) => useConsole.getState().setNode(e.target.value || undefined)}
                  aria-label="node"
                  data-testid="console-node"
                >
                  <option value="">auto — route by key slot</option>
                  {nodes.map((n) => (
                    <option key={n.address} value={n.address}>
                      {n.address} ({n.role})
                    </option>
                  ))}
                </select>
              </label>
            )}
            <div className="segmented" role="radiogroup" aria-label="result view">
              {VIEWS.map((v) => (
                <button
                  key={v}
                  type="button"
                  role="radio"
                  aria-checked={view === v}
                  className={view === v ? 'active' : ''}
                  onClick={() => useConsole.getState().setView(v)}
                >
                  {v === 'raw' ? 'Raw' : v === 'json' ? 'JSON' : 'Table'}
                </button>
              ))}
            </div>
            {profile.readOnly && (
              <span className="chip chip-warn" title="Commands that change data are refused">
                read-only
              </span>
            )}
            {profile.environment === 'production' && <span className="chip chip-danger">production — every command is audited</span>}
          </div>
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
      {confirmed.dialog}
    </div>
  );
}
