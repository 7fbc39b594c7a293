import type { OpInput, OpOutput } from '../../../shared/contract';
import { SwarmdeckError } from '../../../shared/errors';
import { ENVIRONMENTS, describeTopology, editableFields, type Environment, type Profile } from '../../../shared/model/profile';
import type { HealthSnapshot } from '../../../shared/model/health';
import { createDispatch, createHandlers } from '../../api';
import { defaultHome } from '../../home';
import { HealthCollector } from '../../monitoring/health-collector';
import { adHocProfile } from '../../profiles/ad-hoc-profile';
import { ProfileStore } from '../../profiles/profile-store';
import { SecretStore, ownerOnlyCodec } from '../../profiles/secret-store';
import { Session } from '../../redis/connection-manager';
import { testConnection } from '../../redis/connection-test';
import { createServices } from '../../services';
import { SettingsStore } from '../../settings-store';
import { QueueService } from '../../coordination/queue/queue-service';
import { UsageError, findProfile, intFlag, parse, passwordFromFlag, resolveTarget, withSession, type Context } from './context';
import { healthText, table } from './output';
import { runDemoCommand, runSwarms } from './swarm-commands';

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
  swarms list                           every swarm (and a claude-flow-novice registry, read-only)
  swarm show <id> [--source claude-flow-novice]   agents, edges, leader, proposals, findings
  demo [--swarms N] [--agents M] [--duration S]   real demo agents; without connection flags
                                        they run against the local sandbox

connection flags (every command):
  --profile NAME          a saved profile
  --url redis://[user@]host:port[/db]    (rediss:// for TLS)
  --cluster host:port[,host:port…]
  --tls-ca FILE  --tls-cert FILE  --tls-key FILE  --insecure (turns verification off)
  --password-env VAR      read the password from this environment variable
  --prefix P              coordination key prefix (default sd)
  --json                  machine-readable output
  --home DIR              where profiles live (default $SWARMDECK_HOME or ~/.config/swarmdeck)`;

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

/** Profile changes take the UI's path (contract validation, handlers, home lock), so the rules live in one place. */
async function dispatchProfiles<N extends 'profiles.save' | 'profiles.remove'>(ctx: Context, op: N, input: OpInput<N>): Promise<OpOutput<N>> {
  const services = createServices({ home: ctx.home });
  try {
    const envelope = await createDispatch(createHandlers(services))(op, input);
    if (!envelope.ok) throw SwarmdeckError.fromPayload(envelope.error);
    return envelope.result as OpOutput<N>;
  } finally {
    await services.dispose();
  }
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
  if (group === 'swarms' || group === 'swarm') return runSwarms(positionals, ctx);
  if (group === 'demo') return runDemoCommand(ctx);
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
      const password = passwordFromFlag(ctx.flags);
      const saved = await dispatchProfiles(ctx, 'profiles.save', { profile: { ...draft, environment: env }, ...(password !== undefined ? { password } : {}) });
      return { json: saved, text: `added profile "${saved.name}" (${saved.id}) → ${describeTopology(saved.topology)}` };
    }
    case 'remove': {
      if (!arg) throw new UsageError('profiles remove needs a name or id');
      const profile = await findProfile(ctx, arg);
      await dispatchProfiles(ctx, 'profiles.remove', { id: profile.id });
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
    const secrets = new SecretStore(home, ownerOnlyCodec);
    const ctx: Context = { flags: values, home, store: new ProfileStore(home, secrets), secrets };
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
