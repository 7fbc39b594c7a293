import { create } from 'zustand';
import type { OpInput, OpOutput } from '../../../../shared/contract';
import type { ProfileView } from '../../../../shared/model/profile';
import type { SandboxStatus } from '../../../../shared/model/sandbox';
import type { AppInfo } from '../../../../shared/contract';
import { transport } from '../../transport';

interface ProfilesState {
  profiles: ProfileView[];
  loaded: boolean;
  sandbox?: SandboxStatus;
  info?: AppInfo;
  load(): Promise<void>;
  save(input: OpInput<'profiles.save'>): Promise<ProfileView>;
  /** Tries a profile as the form holds it, saved or not; the result is the form's, not kept here. */
  test(input: OpInput<'profiles.test'>): Promise<OpOutput<'profiles.test'>>;
  remove(id: string, confirm?: string): Promise<void>;
  duplicate(id: string, name: string): Promise<ProfileView>;
  importJson(json: string): Promise<ProfileView[]>;
  exportJson(ids?: string[]): Promise<string>;
  startSandbox(): Promise<ProfileView>;
}

export const useProfiles = create<ProfilesState>((set, get) => ({
  profiles: [],
  loaded: false,
  async load() {
    const [profiles, sandbox, info] = await Promise.all([
      transport.call('profiles.list', {}),
      transport.call('sandbox.status', {}),
      transport.call('app.info', {}),
    ]);
    set({ profiles, sandbox, info, loaded: true });
  },
  async save(input) {
    const saved = await transport.call('profiles.save', input);
    await get().load();
    return saved;
  },
  test: (input) => transport.call('profiles.test', input),
  async remove(id, confirm) {
    await transport.call('profiles.remove', { id, ...(confirm !== undefined ? { confirm } : {}) });
    await get().load();
  },
  async duplicate(id, name) {
    const copy = await transport.call('profiles.duplicate', { id, name });
    await get().load();
    return copy;
  },
  async importJson(json) {
    const { imported } = await transport.call('profiles.import', { json });
    await get().load();
    return imported;
  },
  async exportJson(ids) {
    return (await transport.call('profiles.export', ids ? { ids } : {})).json;
  },
  async startSandbox() {
    const profile = await transport.call('sandbox.start', {});
    await get().load();
    return profile;
  },
}));
