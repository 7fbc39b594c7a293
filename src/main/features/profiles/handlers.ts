import { z } from 'zod';
import type { SliceHandlers } from '../../../shared/contract';
import type { profilesContract } from '../../../shared/contract/profiles';
import { SwarmdeckError } from '../../../shared/errors';
import { ProfileInputSchema, editableFields, type Profile, type ProfileView } from '../../../shared/model/profile';
import { validationError } from '../../../shared/validation';
import { testConnection } from '../../redis/connection-test';
import type { Services } from '../../services';
import { passwordTargetChanges } from './password-target';

const ExportFile = z.strictObject({
  format: z.literal('swarmdeck-profiles'),
  version: z.literal(1),
  profiles: z.array(ProfileInputSchema).max(1000),
});

/** What the renderer may see of a profile: never its password, only whether it has one. */
export function profileView(s: Services) {
  return async (p: Profile): Promise<ProfileView> => ({ ...p, hasPassword: await s.secrets.hasPassword(p) });
}

export function profilesHandlers(s: Services): SliceHandlers<typeof profilesContract> {
  const view = profileView(s);
  return {
    'profiles.list': async () => Promise.all((await s.profiles.list()).map(view)),
    'profiles.save': async ({ profile, password }) => {
      const saved = await s.profiles.save(profile, password);
      // A live session keeps the guard and target it was opened with: rebuild it from the saved profile.
      if (s.connections.isConnected(saved.id)) {
        s.connections.disconnect(saved.id);
        await s.connections.connect(saved.id).catch(() => undefined);
      }
      s.bus.emit({ type: 'profiles.changed' });
      return view(saved);
    },
    'profiles.duplicate': async ({ id, name }) => {
      const copy = await s.profiles.duplicate(id, name);
      s.bus.emit({ type: 'profiles.changed' });
      return view(copy);
    },
    'profiles.remove': async ({ id }) => {
      if (s.connections.isConnected(id)) s.connections.disconnect(id);
      await s.profiles.remove(id);
      s.bus.emit({ type: 'profiles.changed' });
      return { removed: id };
    },
    'profiles.export': async ({ ids }) => {
      const all = await s.profiles.list();
      const chosen = ids ? all.filter((p) => ids.includes(p.id)) : all;
      // Secrets never leave: the export holds the editable fields only.
      const profiles = chosen.map(editableFields);
      return { json: JSON.stringify({ format: 'swarmdeck-profiles', version: 1, profiles }, null, 2) };
    },
    'profiles.import': async ({ json }) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(json);
      } catch {
        throw new SwarmdeckError('VALIDATION', 'The file is not JSON');
      }
      const file = ExportFile.safeParse(parsed);
      if (!file.success) throw validationError(file.error, 'The file is not a Swarmdeck profile export');
      const imported = await Promise.all((await s.profiles.importAll(file.data.profiles)).map(view));
      s.bus.emit({ type: 'profiles.changed' });
      return { imported };
    },
    'profiles.test': async ({ profile, password, storedPasswordOf }) => {
      if (password !== undefined || storedPasswordOf === undefined) return testConnection({ profile, password });
      const stored = await s.profiles.get(storedPasswordOf);
      const secret = await s.secrets.password(stored);
      // Without a stored password there is nothing to leak, and editing such a profile's host must stay testable.
      if (secret === undefined) return testConnection({ profile });
      const changed = passwordTargetChanges(stored, profile);
      if (changed.length > 0) {
        const what = changed.join(', ');
        throw new SwarmdeckError(
          'VALIDATION',
          `The stored password of "${stored.name}" is only sent to its own server; this test changes its ${what}. Type the password to test it.`,
          {
            fields: [{ path: 'password', message: `Type the password again: the ${what} changed` }],
          },
        );
      }
      return testConnection({ profile, password: secret });
    },
  };
}
