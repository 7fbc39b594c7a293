import { create } from 'zustand';
import type { OpInput } from '../../../../shared/contract';
import type { ConfigDiff } from '../../../../shared/contract/config';
import type { ConfigEntry, ConfigScope, ConfigVersion } from '../../../../shared/model/config';
import { errorText, type Notice } from '../../components/notice';
import { transport } from '../../transport';

/** Versions of a scope listed beside its document. */
export const HISTORY_COUNT = 50;

/** A field main's schema refused, by its path in the document. */
export interface FieldProblem {
  path: string;
  message: string;
}

interface ConfigState {
  /** The connection whose configuration is shown. */
  profileId?: string;
  scope: ConfigScope;
  /** The scope's document as read (version 0: its defaults); undefined until the first answer. */
  entry?: ConfigEntry;
  /** The document as read, as text, and as the operator is editing it. */
  text: string;
  edited: string;
  /** Bumped to put `edited` back in the editor (a load, a revert) even when it did not change. */
  revision: number;
  history: ConfigVersion[];
  /** What main refused of the last save, field by field. */
  refused: FieldProblem[];
  /** The last comparison, with the pair it is about: an answer about another pair is not shown. */
  diff?: { otherId: string; scope: ConfigScope; diff: ConfigDiff };
  /** The last failure to read, or the outcome of the last change. */
  notice?: Notice;
  /** Forgets another connection's configuration. */
  forProfile(profileId: string): void;
  report(notice: Notice): void;
  setScope(scope: ConfigScope): void;
  edit(text: string): void;
  revert(): void;
  refuse(problems: FieldProblem[]): void;
  /** Reads the scope's document and versions; a failure is reported, not thrown. */
  load(): Promise<void>;
  /** Compares the scope with another environment's; a failure is reported, not thrown. */
  compare(otherId: string): Promise<void>;
  /** Saves over `expectVersion`; main's schema checks the value, and a refusal names its fields in `refused`. */
  save(value: unknown, expectVersion: number, confirm: string | undefined): Promise<ConfigEntry>;
  rollback(version: number, confirm: string | undefined): Promise<ConfigEntry>;
  /** Copies the scope from one environment to the other (either way round), then reads this one again. */
  promote(fromId: string, toId: string, confirm: string | undefined): Promise<ConfigEntry>;
}

/** The save of a document the operator typed: main's contract checks it against the scope's schema, like any caller's. */
export const configSetInput = (
  profileId: string,
  scope: ConfigScope,
  value: unknown,
  expectVersion: number,
  confirm?: string,
): OpInput<'config.set'> => ({ profileId, scope, value, expectVersion, ...(confirm ? { confirm } : {}) }) as OpInput<'config.set'>;

const fieldsOf = (error: unknown): FieldProblem[] | undefined => (error as { details?: { fields?: FieldProblem[] } }).details?.fields;
const confirmed = (confirm: string | undefined) => (confirm ? { confirm } : {});

/** The connection in view, for a change: there is none only if a page acts before it said which. */
const connected = (): { profileId: string; scope: ConfigScope } => {
  const { profileId, scope } = useConfig.getState();
  if (!profileId) throw new Error('no connection in view');
  return { profileId, scope };
};

/** A failed read is reported while the page still shows what it was about. */
const fail = (profileId: string, scope: ConfigScope) => (error: unknown) => {
  const now = useConfig.getState();
  if (now.profileId === profileId && now.scope === scope) useConfig.setState({ notice: { kind: 'error', text: errorText(error) } });
};

export const useConfig = create<ConfigState>((set, get) => ({
  scope: 'swarm',
  text: '',
  edited: '',
  revision: 0,
  history: [],
  refused: [],
  forProfile(profileId) {
    if (get().profileId === profileId) return;
    set({ profileId, entry: undefined, text: '', edited: '', history: [], refused: [], diff: undefined, notice: undefined });
  },
  report: (notice) => set({ notice }),
  setScope: (scope) => set({ scope }),
  edit: (edited) => set({ edited }),
  revert: () => set((s) => ({ edited: s.text, revision: s.revision + 1 })),
  refuse: (refused) => set({ refused }),
  async load() {
    const { profileId, scope } = get();
    if (!profileId) return;
    await Promise.all([
      transport.call('config.get', { profileId, scope }),
      transport.call('config.history', { profileId, scope, count: HISTORY_COUNT }),
    ]).then(
      ([entry, history]) => {
        if (get().profileId !== profileId || get().scope !== scope) return;
        const text = JSON.stringify(entry.value, null, 2);
        set((s) => ({ entry, text, edited: text, revision: s.revision + 1, history, refused: [] }));
      },
      fail(profileId, scope),
    );
  },
  async compare(otherId) {
    const { profileId, scope } = get();
    if (!profileId) return;
    await transport
      .call('config.diff', { profileId, otherProfileId: otherId, scope })
      .then((diff) => set({ diff: { otherId, scope, diff } }), fail(profileId, scope));
  },
  async save(value, expectVersion, confirm) {
    const { profileId, scope } = connected();
    try {
      const saved = await transport.call('config.set', configSetInput(profileId, scope, value, expectVersion, confirm));
      void get().load();
      return saved;
    } catch (error) {
      const fields = fieldsOf(error);
      if (fields) set({ refused: fields });
      throw error;
    }
  },
  async rollback(version, confirm) {
    const { profileId, scope } = connected();
    const restored = await transport.call('config.rollback', { profileId, scope, version, ...confirmed(confirm) });
    void get().load();
    return restored;
  },
  async promote(fromId, toId, confirm) {
    const { scope } = connected();
    const promoted = await transport.call('config.promote', { fromProfileId: fromId, toProfileId: toId, scope, ...confirmed(confirm) });
    void get().load();
    return promoted;
  },
}));
