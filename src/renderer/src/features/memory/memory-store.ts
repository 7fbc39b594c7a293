import { create } from 'zustand';
import type { OpInput } from '../../../../shared/contract';
import type { MemoryConflict, MemoryEntry, MemorySpace, MemorySpaceSummary } from '../../../../shared/model/memory';
import { errorText, type Notice } from '../../components/notice';
import { transport } from '../../transport';
import { entryInput, type EntryDraft } from './entry-form';
import { spaceName, spaceOf } from './memory-space';

/** Entries read per search page. */
export const PAGE = 50;

export interface MemoryQuery {
  prefix: string;
  tag: string;
  text: string;
}

interface MemoryState {
  /** The connection the spaces belong to. */
  profileId?: string;
  spaces: MemorySpaceSummary[];
  /** The namespace searched, its entries page by page, and the cursor of the next page ('' when none). */
  space?: MemorySpace;
  query: MemoryQuery;
  entries: MemoryEntry[];
  cursor: string;
  /** The entry opened. */
  open?: MemoryEntry;
  /** The conflicts kept in the space for an operator to settle. */
  conflicts: MemoryConflict[];
  /** The last failure to read, or the outcome of the last change. */
  notice?: Notice;
  /** Forgets another connection's memory. */
  forProfile(profileId: string): void;
  report(notice: Notice): void;
  loadSpaces(): Promise<void>;
  loadConflicts(): Promise<void>;
  /** Opens a namespace and searches it from the start. */
  choose(space: MemorySpace): Promise<void>;
  setQuery(query: MemoryQuery): void;
  /** The first page for the query (`from` ''), or the next one appended. Failures are reported, not thrown. */
  search(from: string): Promise<void>;
  show(entry: MemoryEntry | undefined): void;
  /** Writes the draft by the operator, then opens the entry written. */
  write(draft: EntryDraft, confirm: string | undefined): Promise<{ version: number }>;
  /** Deletes the version shown (a newer one stays), then searches again. */
  remove(entry: MemoryEntry, confirm: string | undefined): Promise<{ deleted: boolean }>;
  /** Settles a conflict: the agent's value (`local`) or the stored one (`remote`). */
  resolve(conflict: MemoryConflict, choice: 'local' | 'remote', confirm: string | undefined): Promise<{ version: number }>;
}

const same = (a: MemorySpace | undefined, b: MemorySpace | undefined): boolean => !!a && !!b && spaceName(a) === spaceName(b);
const confirmed = (confirm: string | undefined) => (confirm ? { confirm } : {});

/** The search for one page of entries in the space; only the criteria typed are sent. */
export function searchInput(profileId: string, space: MemorySpace, query: MemoryQuery, from: string): OpInput<'memory.search'> {
  return {
    profileId,
    ...space,
    ...(query.prefix ? { prefix: query.prefix } : {}),
    ...(query.tag ? { tag: query.tag } : {}),
    ...(query.text ? { text: query.text } : {}),
    ...(from ? { cursor: from } : {}),
    count: PAGE,
  };
}

const connected = (): string => {
  const { profileId } = useMemory.getState();
  if (!profileId) throw new Error('no connection in view');
  return profileId;
};

/** A failed read is reported while the page still shows the connection it was about. */
const fail = (profileId: string) => (error: unknown) => {
  if (useMemory.getState().profileId === profileId) useMemory.setState({ notice: { kind: 'error', text: errorText(error) } });
};

export const useMemory = create<MemoryState>((set, get) => ({
  spaces: [],
  query: { prefix: '', tag: '', text: '' },
  entries: [],
  cursor: '',
  conflicts: [],
  forProfile(profileId) {
    if (get().profileId === profileId) return;
    set({ profileId, spaces: [], space: undefined, entries: [], cursor: '', open: undefined, conflicts: [], notice: undefined });
  },
  report: (notice) => set({ notice }),
  async loadSpaces() {
    const { profileId } = get();
    if (!profileId) return;
    await transport.call('memory.spaces', { profileId }).then((spaces) => {
      if (get().profileId === profileId) set({ spaces });
    }, fail(profileId));
  },
  async loadConflicts() {
    const { profileId, space } = get();
    if (!profileId || !space) return;
    await transport.call('memory.conflicts', { profileId, ...space }).then((conflicts) => {
      if (get().profileId === profileId && same(get().space, space)) set({ conflicts });
    }, fail(profileId));
  },
  async choose(space) {
    set({ space: spaceOf(space), open: undefined });
    await get().search('');
  },
  setQuery: (query) => set({ query }),
  async search(from) {
    const { profileId, space, query } = get();
    if (!profileId || !space) return;
    await transport.call('memory.search', searchInput(profileId, space, query, from)).then((page) => {
      if (get().profileId !== profileId || !same(get().space, space)) return;
      set((s) => ({ entries: from ? [...s.entries, ...page.entries] : page.entries, cursor: page.cursor }));
    }, fail(profileId));
  },
  show: (open) => set({ open }),
  async write(draft, confirm) {
    const profileId = connected();
    const input = entryInput(profileId, draft);
    const { version } = await transport.call('memory.set', { ...input, ...confirmed(confirm) });
    const where = spaceOf(input);
    void get().loadSpaces();
    void get().choose(where);
    const { entry } = await transport.call('memory.get', { profileId, ...where, key: input.key });
    set({ open: entry ?? undefined });
    return { version };
  },
  async remove(entry, confirm) {
    const profileId = connected();
    const where = { profileId, ...spaceOf(entry), key: entry.key, expectVersion: entry.version };
    const result = await transport.call('memory.delete', { ...where, ...confirmed(confirm) });
    set({ open: undefined });
    void get().search('');
    return result;
  },
  async resolve(conflict, choice, confirm) {
    const profileId = connected();
    const result = await transport.call('memory.resolve', {
      profileId,
      ...spaceOf(conflict),
      key: conflict.key,
      choice,
      ...confirmed(confirm),
    });
    set((s) => ({ conflicts: s.conflicts.filter((c) => c.key !== conflict.key) }));
    void get().search('');
    return result;
  },
}));
