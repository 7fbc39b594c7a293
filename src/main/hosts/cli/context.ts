import { parseArgs } from 'node:util';
import { SwarmdeckError } from '../../../shared/errors';
import type { Profile } from '../../../shared/model/profile';
import { adHocProfile } from '../../profiles/ad-hoc-profile';
import type { ProfileStore } from '../../profiles/profile-store';
import type { SecretStore } from '../../profiles/secret-store';
import { Session } from '../../redis/connection-manager';

/** What every CLI command shares: its flags, where profiles live, and how to reach Redis. */
export class UsageError extends Error {}

export const options = {
  profile: { type: 'string' },
  url: { type: 'string' },
  cluster: { type: 'string' },
  'tls-ca': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  insecure: { type: 'boolean' },
  'password-env': { type: 'string' },
  prefix: { type: 'string' },
  json: { type: 'boolean' },
  home: { type: 'string' },
  env: { type: 'string' },
  'read-only': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  data: { type: 'string' },
  priority: { type: 'string' },
  delay: { type: 'string' },
  attempts: { type: 'string' },
  all: { type: 'boolean' },
  state: { type: 'string' },
  confirm: { type: 'string' },
  source: { type: 'string' },
  swarms: { type: 'string' },
  agents: { type: 'string' },
  duration: { type: 'string' },
} as const;

export type Flags = ReturnType<typeof parse>['values'];

export function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export interface Context {
  flags: Flags;
  store: ProfileStore;
  secrets: SecretStore;
  home: string;
}

export function passwordFromFlag(flags: Flags): string | undefined {
  const name = flags['password-env'];
  if (name === undefined) return undefined;
  const value = process.env[name];
  if (value === undefined) throw new SwarmdeckError('VALIDATION', `--password-env ${name}: that environment variable is not set`);
  return value;
}

export async function findProfile(ctx: Context, nameOrId: string): Promise<Profile> {
  const all = await ctx.store.list();
  const found = all.find((p) => p.id === nameOrId || p.name.toLowerCase() === nameOrId.toLowerCase());
  if (!found) throw new SwarmdeckError('NOT_FOUND', `No profile named "${nameOrId}"; see "swarmdeck profiles list"`);
  return found;
}

/** The connection a command is about: --profile, or the ad hoc flags. */
export async function resolveTarget(ctx: Context, nameOrId?: string): Promise<{ profile: Profile; password?: string }> {
  const f = ctx.flags;
  const wanted = nameOrId ?? f.profile;
  if (wanted !== undefined) {
    const profile = await findProfile(ctx, wanted);
    return { profile, password: passwordFromFlag(f) ?? (await ctx.secrets.password(profile.id)) };
  }
  if (f.url === undefined && f.cluster === undefined) throw new UsageError('give --profile NAME, --url or --cluster');
  const profile = adHocProfile({
    url: f.url,
    cluster: f.cluster,
    tlsCa: f['tls-ca'],
    tlsCert: f['tls-cert'],
    tlsKey: f['tls-key'],
    insecure: f.insecure,
    prefix: f.prefix,
  });
  return { profile, password: passwordFromFlag(f) };
}

export async function withSession<T>(ctx: Context, work: (session: Session) => Promise<T>): Promise<T> {
  const target = await resolveTarget(ctx);
  const session = new Session(target.profile, target.password, () => undefined);
  await session.open();
  try {
    return await work(session);
  } finally {
    session.close();
  }
}

export function intFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new SwarmdeckError('VALIDATION', `${flag} must be a whole number, got "${value}"`);
  return n;
}
