import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SwarmdeckError } from '../../shared/errors';
import type { Profile, ProfileInput } from '../../shared/model/profile';
import { JsonFile } from '../json-file';

interface ProfilesDoc {
  version: 1;
  profiles: Profile[];
}

/** Profiles (never secrets) in `<home>/profiles.json`. */
export class ProfileStore {
  private readonly file: JsonFile<ProfilesDoc>;

  constructor(home: string) {
    this.file = new JsonFile(join(home, 'profiles.json'), () => ({ version: 1, profiles: [] }));
  }

  async list(): Promise<Profile[]> {
    const doc = await this.file.read();
    return [...doc.profiles].sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(id: string): Promise<Profile> {
    const found = (await this.file.read()).profiles.find((p) => p.id === id);
    if (!found) throw new SwarmdeckError('NOT_FOUND', `No profile with id "${id}"`);
    return found;
  }

  /** Creates a profile when `input.id` is absent, otherwise replaces the one with that id. */
  save(input: ProfileInput): Promise<Profile> {
    return this.file.update((doc) => {
      const clash = doc.profiles.find(
        (p) => p.name.toLowerCase() === input.name.toLowerCase() && p.id !== input.id,
      );
      if (clash) {
        throw new SwarmdeckError('CONFLICT', `A profile named "${input.name}" already exists`, {
          fields: [{ path: 'name', message: 'This name is taken' }],
        });
      }
      const now = new Date().toISOString();
      if (input.id !== undefined) {
        const index = doc.profiles.findIndex((p) => p.id === input.id);
        const existing = doc.profiles[index];
        if (!existing) throw new SwarmdeckError('NOT_FOUND', `No profile with id "${input.id}"`);
        const updated: Profile = { ...input, id: existing.id, createdAt: existing.createdAt, updatedAt: now };
        doc.profiles[index] = updated;
        return updated;
      }
      const created: Profile = {
        ...input,
        id: uniqueId(input.name, new Set(doc.profiles.map((p) => p.id))),
        createdAt: now,
        updatedAt: now,
      };
      doc.profiles.push(created);
      return created;
    });
  }

  remove(id: string): Promise<void> {
    return this.file.update((doc) => {
      const before = doc.profiles.length;
      doc.profiles = doc.profiles.filter((p) => p.id !== id);
      if (doc.profiles.length === before) throw new SwarmdeckError('NOT_FOUND', `No profile with id "${id}"`);
    });
  }
}

/** Ids are readable slugs of the name, so secrets can be named by id in the environment. */
function uniqueId(name: string, taken: Set<string>): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48) ||
    `profile-${randomBytes(3).toString('hex')}`;
  let id = slug;
  for (let n = 2; taken.has(id); n += 1) id = `${slug}-${n}`;
  return id;
}
