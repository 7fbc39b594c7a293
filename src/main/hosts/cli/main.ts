import { parseArgs } from 'node:util';
import { SwarmdeckError } from '../../../shared/errors';
import { ENVIRONMENTS, describeTopology, editableFields, type Environment, type Profile } from '../../../shared/model/profile';
import type { HealthSnapshot } from '../../../shared/model/health';
import { defaultHome } from '../../home';
import { HealthCollector } from '../../monitoring/health-collector';
import { adHocProfile } from '../../profiles/ad-hoc-profile';
import { ProfileStore } from '../../profiles/profile-store';
import { SecretStore, ownerOnlyCodec } from '../../profiles/secret-store';
import { Session } from '../../redis/connection-manager';
import { testConnection } from '../../redis/connection-test';
import { SettingsStore } from '../../settings-store';
import { QueueService } from '../../coordination/queue/queue-service';
import { healthText, table } from './output';

const USAGE = `usage: swarmdeck <command> [flags]

commands:
  profiles list                         list saved profiles
  profiles add <name> --url U | --cluster H:P[,H:P…] [--env development|staging|production] [--read-only]
  profiles remove <name|id>
  profiles test [<name|id>]             test a saved profile, or the ad hoc connection flags
  health                                nodes, latency, memory and alerts of one connection
  queues list                           every queue with its counts
  queue stats <name>                    counts and the last 10 minutes of one queue
  queue enqueue <name> --data JSON [--priority P] [--delay MS] [--attempts N]
  queue retry <name> (--all | <taskId>)
  queue purge <name> --state waiting|delayed|finished|dead [--confirm NAME]

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
  data: { type: 'string' },
  priority: { type: 'string' },
  delay: { type: 'string' },
  attempts: { type: 'string' },
  all: { type: 'boolean' },
  state: { type: 'string' },
  confirm: { type: 'string' },
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

async function withSession<T>(ctx: Context, work: (session: Session) => Promise<T>): Promise<T> {
  const target = await resolveTarget(ctx);
  const session = new Session(target.profile, target.password, () => undefined);
  await session.open();
  try {
    return await work(session);
  } finally {
    session.close();
  }
}

function intFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new SwarmdeckError('VALIDATION', `${flag} must be a whole number, got "${value}"`);
  return n;
}

async function runQueue(positionals: string[], ctx: Context): Promise<Output> {
  const [group, action, name, taskId] = positionals;
  const service = new QueueService();
  if (group === 'queues') {
    if (action !== 'list') throw new UsageError('queues needs an action: list');
    const all = await withSession(ctx, (session) => service.summaries(session, 10));
    const rows = [['QUEUE', 'WAITING', 'DELAYED', 'ACTIVE', 'FINISHED', 'DEAD', 'PAUSED', 'DONE/MIN']];
    for (const q of all) rows.push([q.name, ...[q.counts.waiting, q.counts.delayed, q.counts.active, q.counts.finished, q.counts.dead].map(String), q.counts.paused ? 'yes' : 'no', String(q.minutes.at(-2)?.completed ?? 0)]);
    return { json: all, text: all.length ? table(rows) : 'no queues' };
  }
  if (!name) throw new UsageError(`queue ${action ?? ''} needs a queue name`.replace('  ', ' '));
  switch (action) {
    case 'stats': {
      const s = await withSession(ctx, (session) => service.summary(session, name, 10));
      const c = s.counts;
      const lines = [
        `queue ${name}${c.paused ? ' (paused)' : ''}: waiting ${c.waiting}, delayed ${c.delayed}, active ${c.active}, finished ${c.finished}, dead ${c.dead}`,
        `lifetime: enqueued ${c.lifetime.enqueued}, completed ${c.lifetime.completed}, retried ${c.lifetime.retried}, stalled ${c.lifetime.stalled}, dead ${c.lifetime.dead}`,
        '',
        table([['MINUTE', 'ENQUEUED', 'COMPLETED', 'FAILED', 'WAIT', 'PROCESS'], ...s.minutes.map((m) => [new Date(m.at).toISOString().slice(11, 16), String(m.enqueued), String(m.completed), String(m.failed), m.waitMsAvg === undefined ? '-' : `${m.waitMsAvg.toFixed(1)} ms`, m.processMsAvg === undefined ? '-' : `${m.processMsAvg.toFixed(1)} ms`])]),
      ];
      return { json: s, text: lines.join('\n') };
    }
    case 'enqueue': {
      if (ctx.flags.data === undefined) throw new UsageError('queue enqueue needs --data JSON');
      let data: unknown;
      try {
        data = JSON.parse(ctx.flags.data);
      } catch {
        throw new SwarmdeckError('VALIDATION', '--data is not valid JSON');
      }
      const p = ctx.flags.priority;
      const priority = p === undefined ? undefined : /^\d+$/.test(p) ? Number(p) : p;
      const created = await withSession(ctx, (session) =>
        service.enqueue(session, name, { data, priority: priority as never, delayMs: intFlag(ctx.flags.delay, '--delay'), maxAttempts: intFlag(ctx.flags.attempts, '--attempts') }),
      );
      return { json: created, text: `enqueued ${created.id} (${created.state})` };
    }
    case 'retry': {
      if (!ctx.flags.all && !taskId) throw new UsageError('queue retry needs --all or a task id');
      const r = await withSession(ctx, (session) => service.act(session, name, ctx.flags.all ? 'retryAll' : 'retry', { id: taskId, confirm: ctx.flags.confirm }));
      return { json: r, text: `retried ${r.affected} task${r.affected === 1 ? '' : 's'}` };
    }
    case 'purge': {
      const state = ctx.flags.state;
      if (state !== 'waiting' && state !== 'delayed' && state !== 'finished' && state !== 'dead') throw new UsageError('queue purge needs --state waiting|delayed|finished|dead');
      const r = await withSession(ctx, (session) => service.act(session, name, 'purge', { state, confirm: ctx.flags.confirm }));
      return { json: r, text: `purged ${r.affected} ${state} task${r.affected === 1 ? '' : 's'}` };
    }
    default:
      throw new UsageError(action ? `unknown queue action "${action}"` : 'queue needs an action: stats, enqueue, retry, purge');
  }
}

async function run(positionals: string[], ctx: Context): Promise<Output> {
  const [group, action, arg] = positionals;
  if (group === 'health') {
    const h = await collectHealth(ctx, await resolveTarget(ctx));
    return { json: h, text: healthText(h) };
  }
  if (group === 'queues' || group === 'queue') return runQueue(positionals, ctx);
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
      const draft = editableFields(adHocProfile({
        name: arg,
        url: ctx.flags.url,
        cluster: ctx.flags.cluster,
        tlsCa: ctx.flags['tls-ca'],
        tlsCert: ctx.flags['tls-cert'],
        tlsKey: ctx.flags['tls-key'],
        insecure: ctx.flags.insecure,
        prefix: ctx.flags.prefix,
        readOnly: ctx.flags['read-only'],
      }));
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
