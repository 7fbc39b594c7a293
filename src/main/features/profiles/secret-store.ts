import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { SwarmdeckError } from '../../../shared/errors';
import { homeLock } from '../../home';
import { JsonFile } from '../../json-file';

/** How stored secrets are sealed: safeStorage inside Electron, owner-only file permissions elsewhere. */
export interface SecretCodec {
  readonly backend: string;
  /** Where a stored password is, in the operator's words ("in the OS keychain", "in secrets.json …"). */
  readonly where: string;
  /** Shown to the operator when the protection is weaker than they would assume. */
  readonly warning?: string;
  seal(plain: string): string;
  open(sealed: string): string;
}

/** Plain text protected only by the file's 0600 permissions (web host and CLI). */
export const ownerOnlyCodec: SecretCodec = {
  backend: 'file (owner-only permissions)',
  where: 'in secrets.json in the Swarmdeck home, readable by your user only (or in SWARMDECK_PASSWORD_<ID>)',
  seal: (plain) => plain,
  open: (sealed) => sealed,
};

const SecretsDocSchema = z.strictObject({
  version: z.literal(1),
  /** Profile id → sealed password. */
  passwords: z.record(z.string(), z.string()),
});
export type SecretsDoc = z.infer<typeof SecretsDocSchema>;

/** The environment variable that overrides a profile's stored password. */
export function passwordEnvVar(profileId: string): string {
  return `SWARMDECK_PASSWORD_${profileId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * Profile passwords, kept apart from profiles so exports and the UI never see them.
 * `SWARMDECK_PASSWORD_<ID>` in the environment wins over the file. Passwords change only
 * together with their profile, under the home lock, through `ProfileStore`.
 */
export class SecretStore {
  private readonly file: JsonFile<SecretsDoc>;

  constructor(
    home: string,
    private readonly codec: SecretCodec,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.file = new JsonFile(join(home, 'secrets.json'), SecretsDocSchema, () => ({ version: 1, passwords: {} }), homeLock(home), 0o600);
  }

  get backend(): { backend: string; where: string; warning?: string } {
    const { backend, where, warning } = this.codec;
    return warning ? { backend, where, warning } : { backend, where };
  }

  async password(profileId: string): Promise<string | undefined> {
    const fromEnv = this.env[passwordEnvVar(profileId)];
    if (fromEnv !== undefined) return fromEnv;
    const sealed = (await this.load()).passwords[profileId];
    return sealed === undefined ? undefined : this.codec.open(sealed);
  }

  async hasPassword(profileId: string): Promise<boolean> {
    return (await this.password(profileId)) !== undefined;
  }

  /**
   * The whole file, checked and validated. A file others can read is refused for reading and
   * for writing alike: rewriting it as 0600 would hide that every password already leaked.
   */
  async load(): Promise<SecretsDoc> {
    try {
      const info = await stat(this.file.path);
      if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
        throw new SwarmdeckError(
          'UNAVAILABLE',
          `${this.file.path} is readable by other users; run "chmod 600 ${this.file.path}" and try again`,
          { file: this.file.path },
        );
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return this.file.read();
  }

  /** Only under the home lock, with a document from `load`. */
  store(doc: SecretsDoc): Promise<void> {
    return this.file.write(doc);
  }

  seal(plain: string): string {
    return this.codec.seal(plain);
  }
}
