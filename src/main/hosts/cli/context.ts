import { parseArgs } from 'node:util';
import { SwarmdeckError } from '../../../shared/errors';
import type { Profile } from '../../../shared/model/profile';
import type { ApiClient } from '../../api';
import { adHocProfile } from '../../features/profiles/ad-hoc-profile';
import type { Services } from '../../services';
import { UsageError, type CliCommand, type FlagSpec } from './command';

/** Flags every command takes: how to reach Redis, where profiles live, how to print. */
export const CONNECTION_FLAGS = {
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
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const satisfies FlagSpec;

export type Flags = Record<string, string | boolean | undefined> & {
  [K in keyof typeof CONNECTION_FLAGS]?: (typeof CONNECTION_FLAGS)[K]['type'] extends 'boolean' ? boolean : string;
};

export function parse(argv: string[], commands: CliCommand<Context>[]): { values: Flags; positionals: string[] } {
  const options: FlagSpec = { ...CONNECTION_FLAGS };
  for (const command of commands) Object.assign(options, command.flags);
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as Flags, positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** What every CLI command shares: its flags, and the same services and contract as the app. */
export interface Context {
  flags: Flags;
  home: string;
  services: Services;
  /** Every action reaches Redis through this: validation, guards, confirmation and audit. */
  api: ApiClient;
}

export function stringFlag(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

export function passwordFromFlag(flags: Flags): string | undefined {
  const name = flags['password-env'];
  if (name === undefined) return undefined;
  const value = process.env[name];
  if (value === undefined) throw new SwarmdeckError('VALIDATION', `--password-env ${name}: that environment variable is not set`);
  return value;
}

export async function findProfile(ctx: Context, nameOrId: string): Promise<Profile> {
  const all = await ctx.services.profiles.list();
  const found = all.find((p) => p.id === nameOrId || p.name.toLowerCase() === nameOrId.toLowerCase());
  if (!found) throw new SwarmdeckError('NOT_FOUND', `No profile named "${nameOrId}"; see "swarmdeck profiles list"`);
  return found;
}

/** The connection a command is about: --profile (or a name given), or the ad hoc flags. */
export async function resolveTarget(ctx: Context, nameOrId?: string): Promise<{ profile: Profile; password?: string; saved: boolean }> {
  const f = ctx.flags;
  const wanted = nameOrId ?? f.profile;
  const adHoc = ['url', 'cluster', 'tls-ca', 'tls-cert', 'tls-key', 'insecure', 'prefix'].filter((flag) => f[flag] !== undefined);
  // Two targets named at once: silently taking one would act on a server the operator did not mean.
  if (wanted !== undefined && adHoc.length > 0) {
    throw new UsageError(`a saved profile ("${wanted}") and --${adHoc.join(', --')} name two targets; give one`);
  }
  if (f.url !== undefined && f.cluster !== undefined) throw new UsageError('--url and --cluster name two targets; give one');
  if (wanted !== undefined) {
    const profile = await findProfile(ctx, wanted);
    return { profile, password: passwordFromFlag(f), saved: true };
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
  return { profile, password: passwordFromFlag(f), saved: false };
}

/**
 * Connects the command's target inside this process's services and returns its profile id,
 * so the command can go through the contract like the window does. A saved profile uses its
 * stored password unless `--password-env` gives one.
 */
export async function connectTarget(ctx: Context): Promise<Profile> {
  const target = await resolveTarget(ctx);
  if (target.saved && target.password === undefined) await ctx.api.call('connections.connect', { profileId: target.profile.id });
  else await ctx.services.connections.connectWith(target.profile, target.password);
  return target.profile;
}

export function intFlag(value: string | boolean | undefined, flag: string): number | undefined {
  if (value === undefined || typeof value === 'boolean') return undefined;
  // Decimal digits only: Number() would also take "0x10", "1e3" and "".
  if (!/^-?\d{1,15}$/.test(value)) throw new SwarmdeckError('VALIDATION', `${flag} must be a whole number, got "${value}"`);
  return Number(value);
}
