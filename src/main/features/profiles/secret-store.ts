import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { SwarmdeckError } from '../../../shared/errors';
import type { Profile } from '../../../shared/model/profile';
import { homeLock } from '../../home';
import { JsonFile } from '../../json-file';
import { outsideAllowed, parseAllowedAddresses } from './password-target';

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
  where:
    'in secrets.json in the Swarmdeck home, readable by your user only (or in SWARMDECK_PASSWORD_<ID>, for the addresses in SWARMDECK_PASSWORD_<ID>_TARGET)',
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

/** Where the password of `passwordEnvVar` may be sent: `[rediss://]host:port[,…]`. */
export function passwordTargetEnvVar(profileId: string): string {
  return `${passwordEnvVar(profileId)}_TARGET`;
}

/**
 * Profile passwords, kept apart from profiles so exports and the UI never see them.
 * `SWARMDECK_PASSWORD_<ID>` in the environment wins over the file, for the addresses that
 * `SWARMDECK_PASSWORD_<ID>_TARGET` names only. Passwords change only together with their
 * profile, under the home lock, through `ProfileStore`.
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

  /**
   * The password to send to `profile`'s server as it is now. One from the environment is
   * refused (UNAVAILABLE) unless that server is where its `_TARGET` variable says it may go.
   */
  async password(profile: Profile): Promise<string | undefined> {
    const fromEnv = this.env[passwordEnvVar(profile.id)];
    if (fromEnv !== undefined) {
      this.checkEnvTarget(profile);
      return fromEnv;
    }
    const sealed = (await this.load()).passwords[profile.id];
    return sealed === undefined ? undefined : this.codec.open(sealed);
  }

  /** Whether the profile has one; a password from the environment counts even where it would be refused. */
  async hasPassword(profile: Profile): Promise<boolean> {
    if (this.env[passwordEnvVar(profile.id)] !== undefined) return true;
    return (await this.load()).passwords[profile.id] !== undefined;
  }

  /**
   * The binding a stored password gets when the profile is moved (see password-target.ts), for
   * a password the home never saw: the environment it came from also says where it may go, so a
   * profile moved in profiles.json, by import or in the UI cannot take it along.
   */
  private checkEnvTarget(profile: Profile): void {
    const variable = passwordEnvVar(profile.id);
    const targetVariable = passwordTargetEnvVar(profile.id);
    const raw = this.env[targetVariable];
    const refusal = (why: string, extra: Record<string, unknown> = {}): SwarmdeckError =>
      new SwarmdeckError('UNAVAILABLE', `${why}. The password was not sent.`, { variable, targetVariable, ...extra });
    if (raw === undefined || raw.trim() === '') {
      throw refusal(
        `${variable} is set, but not where it may be sent: set ${targetVariable} to the host:port of "${profile.name}" (a cluster's seeds, comma-separated; rediss:// for TLS only)`,
      );
    }
    const allowed = parseAllowedAddresses(raw);
    if (!allowed)
      throw refusal(
        `${targetVariable} must be host:port[,host:port…] (rediss://host:port for verified TLS only), got "${raw.slice(0, 200)}"`,
      );
    const outside = outsideAllowed(profile, allowed);
    if (outside.length > 0) {
      throw refusal(
        `${variable} may be sent only where ${targetVariable} says (${raw}), and "${profile.name}" now goes elsewhere: ${outside.join('; ')}. If the profile moved on purpose, change ${targetVariable} too`,
        { outside },
      );
    }
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
