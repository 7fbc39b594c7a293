import { create, type StoreApi } from 'zustand';
import type { ConsoleCatalogue, ConsoleExecResult, ConsoleHistoryEntry, ConsoleKeysResult } from '../../../../shared/model/console';
import { errorText } from '../../components/notice';
import { transport } from '../../transport';

export type ResultView = 'table' | 'json' | 'raw';

/** One press of Run: what was sent, where, and what came back. */
export interface ConsoleRun {
  id: number;
  at: number;
  text: string;
  node?: string;
  result?: ConsoleExecResult;
  keys?: ConsoleKeysResult;
  error?: string;
  /** Waiting for main (the first answer, or "load all"). */
  pending: boolean;
  /** The confirmation typed for it, kept so "load all" can repeat it. */
  confirm?: string;
}

const KEEP_RUNS = 20;

interface ConsoleState {
  profileId?: string;
  catalogue?: ConsoleCatalogue;
  catalogueError?: string;
  runs: ConsoleRun[];
  history: ConsoleHistoryEntry[];
  view: ResultView;
  tab: 'console' | 'profiler';
  /** Text put into the editor from elsewhere (history, Diagnostics); the version makes a repeat count. */
  prefill: { text: string; version: number };
  node?: string;
  /** What the editor held when the page was left, put back when it returns. */
  draft: string;
  forProfile(profileId: string): void;
  setView(view: ResultView): void;
  setTab(tab: 'console' | 'profiler'): void;
  setNode(node: string | undefined): void;
  fill(text: string): void;
  /** The editor took the prefill: forget it, so coming back to the page does not apply it again. */
  filled(draft: string): void;
  keepDraft(draft: string): void;
  loadHistory(search?: string): Promise<void>;
  /** Throws main's typed error (a confirmation it wants) so the page can ask; records every other failure. */
  exec(text: string, confirm?: string): Promise<void>;
  loadAll(runId: number): Promise<void>;
  scanKeys(runId: number, pattern: string): Promise<void>;
}

let nextRun = 1;

type RunActions = Pick<ConsoleState, 'exec' | 'loadAll' | 'scanKeys'>;

/** Pressing Run and what a run's card asks for later: each answer lands on its own run. */
function runActions(set: StoreApi<ConsoleState>['setState'], get: StoreApi<ConsoleState>['getState']): RunActions {
  const patch = (id: number, change: Partial<ConsoleRun>): void =>
    set((s) => ({ runs: s.runs.map((r) => (r.id === id ? { ...r, ...change } : r)) }));
  return {
    async exec(text, confirm) {
      const { profileId, node } = get();
      if (!profileId) return;
      const id = nextRun++;
      const run: ConsoleRun = { id, at: Date.now(), text, pending: true, ...(node ? { node } : {}), ...(confirm ? { confirm } : {}) };
      set((s) => ({ runs: [run, ...s.runs].slice(0, KEEP_RUNS) }));
      try {
        const result = await transport.call('console.exec', {
          profileId,
          line: text,
          ...(node ? { node } : {}),
          ...(confirm ? { confirm } : {}),
        });
        patch(id, { result, pending: false });
      } catch (error) {
        patch(id, { error: errorText(error), pending: false });
        throw error;
      } finally {
        void get()
          .loadHistory()
          .catch(() => undefined);
      }
    },
    async loadAll(runId) {
      const { profileId } = get();
      const run = get().runs.find((r) => r.id === runId);
      if (!profileId || !run) return;
      patch(runId, { pending: true });
      try {
        const result = await transport.call('console.exec', {
          profileId,
          line: run.text,
          full: true,
          ...(run.node ? { node: run.node } : {}),
          ...(run.confirm ? { confirm: run.confirm } : {}),
        });
        patch(runId, { result, pending: false });
      } catch (error) {
        patch(runId, { error: errorText(error), pending: false });
      }
    },
    async scanKeys(runId, pattern) {
      const { profileId } = get();
      const run = get().runs.find((r) => r.id === runId);
      if (!profileId || !run) return;
      patch(runId, { pending: true });
      try {
        const keys = await transport.call('console.keys', { profileId, pattern, limit: 10_000, ...(run.node ? { node: run.node } : {}) });
        patch(runId, { keys, pending: false });
      } catch (error) {
        patch(runId, { error: errorText(error), pending: false });
      }
    },
  };
}

export const useConsole = create<ConsoleState>((set, get) => ({
  runs: [],
  history: [],
  view: 'table',
  tab: 'console',
  draft: '',
  prefill: { text: '', version: 0 },
  forProfile(profileId) {
    if (get().profileId === profileId) return;
    // Another server: its commands, nodes and history are not this one's.
    set({ profileId, catalogue: undefined, catalogueError: undefined, runs: [], history: [], node: undefined });
    transport.call('console.commands', { profileId }).then(
      (catalogue) => {
        if (get().profileId === profileId) set({ catalogue });
      },
      (error: unknown) => set({ catalogueError: errorText(error) }),
    );
    void get().loadHistory();
  },
  setView: (view) => set({ view }),
  setTab: (tab) => set({ tab }),
  filled: (draft) => set({ draft, prefill: { text: '', version: 0 } }),
  keepDraft: (draft) => set({ draft }),
  setNode: (node) => set({ node }),
  fill: (text) => set((s) => ({ tab: 'console', prefill: { text, version: s.prefill.version + 1 } })),
  async loadHistory(search) {
    const profileId = get().profileId;
    if (!profileId) return;
    const history = await transport.call('console.history', { profileId, limit: 200, ...(search ? { search } : {}) });
    if (get().profileId === profileId) set({ history });
  },
  ...runActions(set, get),
}));
