import { parseArgs } from 'node:util';
import { SwarmdeckError } from '../../../shared/errors';
import { ENVIRONMENTS, describeTopology, type Environment, type Profile } from '../../../shared/model/profile';
import type { HealthSnapshot } from '../../../shared/model/health';
import { defaultHome } from '../../home';
import { HealthCollector } from '../../monitoring/health-collector';
import { adHocProfile } from '../../profiles/ad-hoc-profile';
import { ProfileStore } from '../../profiles/profile-store';
import { SecretStore, ownerOnlyCodec } from '../../profiles/secret-store';
import { Session } from '../../redis/connection-manager';
import { testConnection } from '../../redis/connection-test';
import { SettingsStore } from '../../settings-store';
import { healthText, table } from './output';

const USAGE = `usage: swarmdeck <command> [flags]

commands:
  profiles list                         list saved profiles
  profiles add <name> --url U | --cluster H:P[,H:P…] [--env development|staging|production] [--read-only]
  profiles remove <name|id>
  profiles test [<name|id>]             test a saved profile, or the ad hoc connection flags
  health                                nodes, latency, memory and alerts of one connection

connection flags (every command):
  --profile NAME          a saved profile
  --url redis://[user@]host:port[/db]    (rediss:// for TLS)
  --cluster host:port[,host:port…]
  --tls-ca FILE  --tls-cert FILE  --tls-key FILE  --insecure (turns verification off)
  --password-env VAR      read the password from this environment variable
  --prefix P              coordination key prefix (default sd)
  --json                  machine-readable output
  --home DIR              where profiles live (default $SWARMDECK_HOME or ~/.config/swarmdeck)`;

class UsageError extends Error {}

const options = {
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
} as const;

type Flags = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

interface Context {
  flags: Flags;
  store: ProfileStore;
  secrets: SecretStore;
  home: string;
}

function passwordFromFlag(flags: Flags): string | undefined {
  const name = flags['password-env'];
  if (name === undefined) return undefined;
  const value = process.env[name];
  if (value === undefined) throw new SwarmdeckError('VALIDATION', `--password-env ${name}: that environment variable is not set`);
  return value;
}

async function findProfile(ctx: Context, nameOrId: string): Promise<Profile> {
  const all = await ctx.store.list();
  const found = all.find((p) => p.id === nameOrId || p.name.toLowerCase() === nameOrId.toLowerCase());
  if (!found) throw new SwarmdeckError('NOT_FOUND', `No profile named "${nameOrId}"; see "swarmdeck profiles list"`);
  return found;
}

/** The connection a command is about: --profile, or the ad hoc flags. */
async function resolveTarget(ctx: Context, nameOrId?: string): Promise<{ profile: Profile; password?: string }> {
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

async function collectHealth(ctx: Context, target: { profile: Profile; password?: string }): Promise<HealthSnapshot> {
  const session = new Session(target.profile, target.password, () => undefined);
  await session.open();
  try {
    const collector = new HealthCollector(target.profile, session.client);
    for (let i = 0; i < 5; i += 1) {
      await collector.samplePing();
      await new Promise((r) => setTimeout(r, 50));
    }
    return await collector.collect(await new SettingsStore(ctx.home).thresholds());
  } finally {
    session.close();
  }
}

type Output = { json: unknown; text: string };

async function run(positionals: string[], ctx: Context): Promise<Output> {
  const [group, action, arg] = positionals;
  if (group === 'health') {
    const h = await collectHealth(ctx, await resolveTarget(ctx));
    return { json: h, text: healthText(h) };
  }
  if (group !== 'profiles') throw new UsageError(group ? `unknown command "${group}"` : 'no command given');
  switch (action) {
    case 'list': {
      const all = await ctx.store.list();
      const rows = [['NAME', 'ID', 'ENVIRONMENT', 'TARGET', 'FLAGS']];
      for (const p of all) rows.push([p.name, p.id, p.environment, describeTopology(p.topology), [p.readOnly ? 'read-only' : '', p.tls.enabled ? 'tls' : ''].filter(Boolean).join(',')]);
      return { json: all, text: all.length ? table(rows) : 'no profiles yet; add one with "swarmdeck profiles add"' };
    }
    case 'add': {
      if (!arg) throw new UsageError('profiles add needs a name');
      const env = (ctx.flags.env ?? 'development') as Environment;
      if (!ENVIRONMENTS.includes(env)) throw new UsageError(`--env must be one of ${ENVIRONMENTS.join(', ')}`);
      const { id: _id, createdAt: _c, updatedAt: _u, ...draft } = adHocProfile({
        name: arg,
        url: ctx.flags.url,
        cluster: ctx.flags.cluster,
        tlsCa: ctx.flags['tls-ca'],
        tlsCert: ctx.flags['tls-cert'],
        tlsKey: ctx.flags['tls-key'],
        insecure: ctx.flags.insecure,
        prefix: ctx.flags.prefix,
        readOnly: ctx.flags['read-only'],
      });
      const saved = await ctx.store.save({ ...draft, environment: env });
      const password = passwordFromFlag(ctx.flags);
      if (password !== undefined) await ctx.secrets.setPassword(saved.id, password);
      return { json: saved, text: `added profile "${saved.name}" (${saved.id}) → ${describeTopology(saved.topology)}` };
    }
    case 'remove': {
      if (!arg) throw new UsageError('profiles remove needs a name or id');
      const profile = await findProfile(ctx, arg);
      await ctx.store.remove(profile.id);
      await ctx.secrets.setPassword(profile.id, null);
      return { json: { removed: profile.id }, text: `removed profile "${profile.name}"` };
    }
    case 'test': {
      const target = await resolveTarget(ctx, arg);
      const result = await testConnection(target);
      const text = result.steps.map((s) => `${s.ok ? 'ok  ' : 'FAIL'} ${s.step.padEnd(7)} ${s.ms.toFixed(1).padStart(7)} ms  ${s.message}`).join('\n');
      if (!result.ok) {
        const failed = result.steps.find((s) => !s.ok);
        throw new SwarmdeckError(failed?.code ?? 'REDIS_ERROR', failed?.message ?? 'connection test failed', { step: failed?.step, result });
      }
      return { json: result, text };
    }
    default:
      throw new UsageError(action ? `unknown profiles action "${action}"` : 'profiles needs an action: list, add, remove, test');
  }
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const fail = (code: string, message: string, exit: number, details?: unknown): number => {
    process.stderr.write(json ? `${JSON.stringify({ error: { code, message, ...(details ? { details } : {}) } })}\n` : `swarmdeck: ${message}\n`);
    return exit;
  };
  try {
    const { values, positionals } = parse(argv);
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const home = values.home ?? defaultHome();
    const ctx: Context = { flags: values, home, store: new ProfileStore(home), secrets: new SecretStore(home, ownerOnlyCodec) };
    const out = await run(positionals, ctx);
    process.stdout.write(`${json ? JSON.stringify(out.json) : out.text}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) return fail('USAGE', `${error.message}\n${json ? '' : USAGE}`.trim(), 2);
    if (error instanceof SwarmdeckError) return fail(error.code, error.message, 1, error.details?.result);
    return fail('INTERNAL', error instanceof Error ? error.message : String(error), 1);
  }
}

const code = await main(process.argv.slice(2));
// ioredis keeps a 2 s timer after a refused connection; once the output is flushed there is nothing left to wait for.
const flushed = (stream: NodeJS.WriteStream): Promise<void> => new Promise((resolve) => stream.write('', () => resolve()));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
