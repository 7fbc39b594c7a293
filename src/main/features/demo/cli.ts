import { SwarmdeckError } from '../../../shared/errors';
import type { CliCommand } from '../../hosts/cli/command';
import { enforceGuard } from '../../../shared/guards';
import { intFlag, resolveTarget, stringFlag, type Context } from '../../hosts/cli/context';
import { Session } from '../../redis/connection-manager';
import { Sandbox } from '../app/sandbox';
import { runDemo } from './demo';

export const demoCommands: CliCommand<Context>[] = [
  {
    words: ['demo'],
    usage: [
      'demo [--swarms N] [--agents M] [--duration S] [--confirm NAME]   real demo agents; without connection flags',
      '                                      they run against the local sandbox',
    ],
    flags: { swarms: { type: 'string' }, agents: { type: 'string' }, duration: { type: 'string' }, confirm: { type: 'string' } },
    run: (_positionals, ctx) => runDemoCommand(ctx),
  },
];

async function runDemoCommand(ctx: Context): Promise<{ json: unknown; text: string }> {
  const swarms = intFlag(ctx.flags.swarms, '--swarms') ?? 3;
  const agents = intFlag(ctx.flags.agents, '--agents') ?? 12;
  const seconds = intFlag(ctx.flags.duration, '--duration');
  if (seconds !== undefined && seconds < 1) throw new SwarmdeckError('VALIDATION', '--duration is at least 1 second');
  const explicit = ctx.flags.profile !== undefined || ctx.flags.url !== undefined || ctx.flags.cluster !== undefined;
  const running = explicit ? undefined : await new Sandbox(ctx.services.profiles).reachable();
  const sandbox = explicit || running ? undefined : new Sandbox(ctx.services.profiles);
  const target = running ? { profile: running } : sandbox ? { profile: await sandbox.start() } : await resolveTarget(ctx);
  // Demo agents write swarms and a queue: never into a read-only profile, and on production only when its name is typed.
  enforceGuard(target.profile, 'demo.run', { name: target.profile.name }, stringFlag(ctx.flags, 'confirm'));
  const password =
    'password' in target && target.password !== undefined
      ? target.password
      : 'saved' in target && target.saved
        ? await ctx.services.secrets.password(target.profile)
        : undefined;
  const say = (line: string): void => void (ctx.flags.json ? process.stderr : process.stdout).write(`${line}\n`);
  if (running) say(`demo: using the running console's sandbox "${running.name}"`);
  if (sandbox)
    say(
      `demo: started the local sandbox on ${target.profile.topology.kind === 'standalone' ? `127.0.0.1:${target.profile.topology.port}` : ''} — connect the console to the "${target.profile.name}" profile to watch`,
    );
  const session = new Session(target.profile, password, () => undefined);
  const stop = new AbortController();
  const interrupt = (): void => stop.abort();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    await session.open();
    say(`demo: ${swarms} swarm(s) × ${agents} agents${seconds ? ` for ${seconds} s` : ' until Ctrl-C'}`);
    const report = await runDemo(session.client, {
      swarms,
      agents,
      durationMs: seconds === undefined ? undefined : seconds * 1000,
      prefix: target.profile.keyPrefix,
      signal: stop.signal,
      log: (line) => say(line),
    });
    const text = `demo finished: ${report.swarms.length} swarms, ${report.agents} agents, ${report.messages} messages, ${report.tasksCompleted} tasks completed (${report.tasksFailed} failed attempts), ${report.elections} elections, ${report.crashes} crashes, proposals ${JSON.stringify(report.proposals)}`;
    return { json: report, text };
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    session.close();
    await sandbox?.stop();
  }
}
