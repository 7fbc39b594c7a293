import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { SwarmdeckError } from '../../../shared/errors';
import { ProfileInputSchema, editableFields, type Profile, type ProfileInput } from '../../../shared/model/profile';
import type { FileLock } from '../../file-lock';
import { homeLock } from '../../home';
import { JsonFile } from '../../json-file';
import { passwordTargetChanges } from './password-target';
import type { SecretsDoc, SecretStore } from './secret-store';

const StoredProfileSchema = ProfileInputSchema.extend({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/, 'Malformed profile id'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const ProfilesDocSchema = z.strictObject({
  version: z.literal(1),
  profiles: z.array(StoredProfileSchema),
});
type ProfilesDoc = z.infer<typeof ProfilesDocSchema>;

/** `undefined` keeps the stored password, `null` clears it. */
type PasswordChange = string | null | undefined;

/** What one locked change may touch: the profiles, and the secrets only if it asks for them. */
interface Transaction {
  doc: ProfilesDoc;
  /** Loads (and validates) secrets.json once; it is written back only if changed. */
  secrets(): Promise<SecretsDoc>;
}

/**
 * Profiles in `<home>/profiles.json`, their passwords in the SecretStore. Every change reads
 * and validates both files under the home lock before it writes either, so a profile and its
 * password appear and disappear together, across processes.
 */
export class ProfileStore {
  private readonly file: JsonFile<ProfilesDoc>;
  private readonly lock: FileLock;

  constructor(
    home: string,
    private readonly secretStore: SecretStore,
  ) {
    this.lock = homeLock(home);
    this.file = new JsonFile(join(home, 'profiles.json'), ProfilesDocSchema, () => ({ version: 1, profiles: [] }), this.lock);
  }

  async list(): Promise<Profile[]> {
    const doc = await this.file.read();
    return [...doc.profiles].sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(id: string): Promise<Profile> {
    return find(await this.file.read(), id);
  }

  /** Creates a profile when `input.id` is absent, otherwise replaces the one with that id. */
  save(input: ProfileInput, password?: PasswordChange): Promise<Profile> {
    return this.transact((tx) => saveIn(tx, input, password, this.secretStore));
  }

  /** A copy under a new name, with the original's stored password read under the same lock. */
  duplicate(id: string, name: string): Promise<Profile> {
    return this.transact(async (tx) => {
      const original = find(tx.doc, id);
      const sealed = (await tx.secrets()).passwords[id];
      const copy = await saveIn(tx, { ...editableFields(original), name }, null, this.secretStore);
      if (sealed !== undefined) (await tx.secrets()).passwords[copy.id] = sealed;
      return copy;
    });
  }

  /** All or nothing: a clash with a stored profile, or within `inputs`, imports none. */
  importAll(inputs: ProfileInput[]): Promise<Profile[]> {
    return this.transact(async (tx) => {
      const existing = new Set(tx.doc.profiles.map((p) => p.name.toLowerCase()));
      const clashes = inputs.filter((p) => existing.has(p.name.toLowerCase()));
      if (clashes.length > 0) {
        throw new SwarmdeckError(
          'CONFLICT',
          `Profiles already exist with these names: ${clashes.map((p) => p.name).join(', ')}; nothing was imported`,
        );
      }
      const imported: Profile[] = [];
      for (const { id: _ignored, ...input } of inputs) imported.push(await saveIn(tx, input, null, this.secretStore));
      return imported;
    });
  }

  remove(id: string): Promise<void> {
    return this.transact(async (tx) => {
      find(tx.doc, id);
      // Read and validate secrets.json before anything changes: a corrupt one must not cost the profile.
      delete (await tx.secrets()).passwords[id];
      tx.doc.profiles = tx.doc.profiles.filter((p) => p.id !== id);
    });
  }

  /**
   * Runs `change` under the home lock, then writes secrets before profiles: if the second
   * write fails, what is left is a password without its profile (which the next profile
   * created with that id overwrites) or a profile without its password — never a profile
   * that silently uses another one's password.
   */
  private transact<R>(change: (tx: Transaction) => Promise<R>): Promise<R> {
    return this.lock.run(async () => {
      const doc = await this.file.read();
      let secrets: { doc: SecretsDoc; before: string } | undefined;
      const result = await change({
        doc,
        secrets: async () => {
          if (!secrets) {
            const loaded = await this.secretStore.load();
            secrets = { doc: loaded, before: JSON.stringify(loaded) };
          }
          return secrets.doc;
        },
      });
      if (secrets && JSON.stringify(secrets.doc) !== secrets.before) await this.secretStore.store(secrets.doc);
      await this.file.write(doc);
      return result;
    });
  }
}

function find(doc: ProfilesDoc, id: string): Profile {
  const found = doc.profiles.find((p) => p.id === id);
  if (!found) throw new SwarmdeckError('NOT_FOUND', `No profile with id "${id}"`);
  return found;
}

async function saveIn(tx: Transaction, input: ProfileInput, password: PasswordChange, secrets: SecretStore): Promise<Profile> {
  const { doc } = tx;
  const clash = doc.profiles.find((p) => p.name.toLowerCase() === input.name.toLowerCase() && p.id !== input.id);
  if (clash) {
    throw new SwarmdeckError('CONFLICT', `A profile named "${input.name}" already exists`, {
      fields: [{ path: 'name', message: 'This name is taken' }],
    });
  }
  const now = new Date().toISOString();
  let saved: Profile;
  if (input.id !== undefined) {
    const index = doc.profiles.findIndex((p) => p.id === input.id);
    const existing = doc.profiles[index];
    if (!existing) throw new SwarmdeckError('NOT_FOUND', `No profile with id "${input.id}"`);
    // A kept password goes only to the target it was stored for: moving the profile elsewhere
    // with its password kept would let the next test or connect replay it to another server.
    const moved = passwordTargetChanges(existing, input);
    if (password === undefined && moved.length > 0 && (await tx.secrets()).passwords[existing.id] !== undefined) {
      const what = moved.join(', ');
      throw new SwarmdeckError(
        'VALIDATION',
        `The stored password of "${existing.name}" is only sent to its own server; this change moves its ${what}. Type the password again, or remove it.`,
        {
          fields: [{ path: 'password', message: `Type the password again (or remove it): the ${what} changed` }],
        },
      );
    }
    saved = { ...input, id: existing.id, createdAt: existing.createdAt, updatedAt: now };
    doc.profiles[index] = saved;
  } else {
    saved = { ...input, id: uniqueId(input.name, new Set(doc.profiles.map((p) => p.id))), createdAt: now, updatedAt: now };
    doc.profiles.push(saved);
    // A new id may match a password left behind by a crash; the new profile must not inherit it.
    password ??= null;
  }
  if (password !== undefined) {
    const passwords = (await tx.secrets()).passwords;
    if (password === null) delete passwords[saved.id];
    else passwords[saved.id] = secrets.seal(password);
  }
  return saved;
}

/** Ids are readable slugs of the name, so secrets can be named by id in the environment. */
function uniqueId(name: string, taken: Set<string>): string {
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || `profile-${randomBytes(3).toString('hex')}`;
  let id = slug;
  for (let n = 2; taken.has(id); n += 1) id = `${slug}-${n}`;
  return id;
}
