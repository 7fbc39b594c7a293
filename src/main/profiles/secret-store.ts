import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SwarmdeckError } from '../../shared/errors';
import { JsonFile } from '../json-file';

/** How stored secrets are sealed: safeStorage inside Electron, owner-only file permissions elsewhere. */
export interface SecretCodec {
  readonly backend: string;
  /** Shown to the operator when the protection is weaker than they would assume. */
  readonly warning?: string;
  seal(plain: string): string;
  open(sealed: string): string;
}

/** Plain text protected only by the file's 0600 permissions (web host and CLI). */
export const ownerOnlyCodec: SecretCodec = {
  backend: 'file (owner-only permissions)',
  seal: (plain) => plain,
  open: (sealed) => sealed,
};

interface SecretsDoc {
  version: 1;
  passwords: Record<string, string>;
}

/** The environment variable that overrides a profile's stored password. */
export function passwordEnvVar(profileId: string): string {
  return `SWARMDECK_PASSWORD_${profileId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * Profile passwords, kept apart from profiles so exports and the UI never see them.
 * `SWARMDECK_PASSWORD_<ID>` in the environment wins over the file.
 */
export class SecretStore {
  private readonly file: JsonFile<SecretsDoc>;

  constructor(
    home: string,
    private readonly codec: SecretCodec,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.file = new JsonFile(join(home, 'secrets.json'), () => ({ version: 1, passwords: {} }), 0o600);
  }

  get backend(): { backend: string; warning?: string } {
    return this.codec.warning ? { backend: this.codec.backend, warning: this.codec.warning } : { backend: this.codec.backend };
  }

  async password(profileId: string): Promise<string | undefined> {
    const fromEnv = this.env[passwordEnvVar(profileId)];
    if (fromEnv !== undefined) return fromEnv;
    const sealed = (await this.readChecked()).passwords[profileId];
    return sealed === undefined ? undefined : this.codec.open(sealed);
  }

  async hasPassword(profileId: string): Promise<boolean> {
    return (await this.password(profileId)) !== undefined;
  }

  async setPassword(profileId: string, password: string | null): Promise<void> {
    await this.file.update((doc) => {
      if (password === null) delete doc.passwords[profileId];
      else doc.passwords[profileId] = this.codec.seal(password);
    });
  }

  /** Refuses a secrets file that others can read: it would leak every password. */
  private async readChecked(): Promise<SecretsDoc> {
    try {
      const info = await stat(this.file.path);
      if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
        throw new SwarmdeckError(
          'UNAVAILABLE',
          `${this.file.path} is readable by other users; run "chmod 600 ${this.file.path}" and try again`,
        );
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return this.file.read();
  }
}
