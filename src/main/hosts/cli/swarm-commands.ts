import { SwarmdeckError } from '../../../shared/errors';
import type { SwarmDetail, SwarmSource } from '../../../shared/model/swarm';
import { SwarmService } from '../../coordination/swarm/swarm-service';
import { runDemo } from '../../demo/demo';
import { Session } from '../../redis/connection-manager';
import { Sandbox } from '../../sandbox/sandbox';
import { UsageError, intFlag, resolveTarget, withSession, type Context } from './context';
import { table } from './output';

type Output = { json: unknown; text: string };

const age = (ms: number | undefined): string => (ms === undefined ? 'never' : ms < 1000 ? 'now' : `${Math.round(ms / 1000)} s ago`);

/** `swarms list`, `swarm show <id>` */
export async function runSwarms(positionals: string[], ctx: Context): Promise<Output> {
  const [group, action, id] = positionals;
  const service = new SwarmService();
  if (group === 'swarms') {
    if (action !== 'list') throw new UsageError('swarms needs an action: list');
    const list = await withSession(ctx, (session) => service.list(session));
    const rows = [['SWARM', 'NAME', 'SOURCE', 'STATUS', 'TOPOLOGY', 'LIVE/AGENTS', 'LEADER', 'FINDINGS', 'LAST ACTIVITY']];
    for (const s of list.swarms) rows.push([s.id, s.name, s.source, s.status, s.topology, `${s.liveAgents}/${s.agents}`, s.leader ?? '-', String(s.findings), age(Date.now() - s.lastActivity)]);
    const note = list.claudeFlowNovice ? '\n(claude-flow-novice registry found: its swarms are listed read-only)' : '';
    return { json: list, text: list.swarms.length ? `${table(rows)}${note}` : 'no swarms' };
  }
  if (action !== 'show' || !id) throw new UsageError('swarm needs: show <id>');
  const source: SwarmSource = ctx.flags.source === 'claude-flow-novice' ? 'claude-flow-novice' : 'swarmdeck';
  const d = await withSession(ctx, (session) => service.show(session, id, source));
  return { json: d, text: detailText(d) };
}

function detailText(d: SwarmDetail): string {
  const head = [
    `swarm ${d.id} "${d.name}" (${d.source}): ${d.status}, ${d.topology}, ${d.strategy} consensus, ${d.liveAgents}/${d.agents.length} agents live`,
    `leader: ${d.leader ? `${d.leader.agent} (epoch ${d.leader.epoch}, lease ${Math.round(d.leader.ttlMs)} ms left)` : 'none'}; messages: ${d.messages}`,
  ];
  const agents = table([['AGENT', 'ROLE', 'TYPE', 'LIVE', 'REPORTS', 'HEARTBEAT', 'TASK', 'CAPABILITIES'], ...d.agents.map((a) => [a.id, a.role, a.type, a.live ? 'yes' : 'NO', a.reported, age(a.heartbeatAgeMs), a.task ?? '-', a.capabilities.join(',')])]);
  const edges = d.edges.length ? table([['FROM', 'TO', 'WHY'], ...d.edges.map((e) => [e.from, e.to, e.reason])]) : 'no edges';
  const proposals = d.proposals.length
    ? table([['PROPOSAL', 'TITLE', 'STATUS', 'YES', 'PARTICIPATION', 'VOTES'], ...d.proposals.map((p) => [p.id, p.title, p.status, `${(p.ratio * 100).toFixed(0)} %`, `${(p.participation * 100).toFixed(0)} %`, String(p.votes.length)])])
    : 'no proposals';
  const findings = d.findings.length ? d.findings.map((f) => `- ${f.message}`).join('\n') : 'no findings';
  return [...head, '', agents, '', edges, '', proposals, '', 'findings:', findings].join('\n');
}

/**
 * `demo --swarms N --agents M [--duration S]` against the connection flags or, without
 * them, the local sandbox (started here when it is not already running).
 */
export async function runDemoCommand(ctx: Context): Promise<Output> {
  const swarms = intFlag(ctx.flags.swarms, '--swarms') ?? 3;
  const agents = intFlag(ctx.flags.agents, '--agents') ?? 12;
  const seconds = intFlag(ctx.flags.duration, '--duration');
  if (seconds !== undefined && seconds < 1) throw new SwarmdeckError('VALIDATION', '--duration is at least 1 second');
  const explicit = ctx.flags.profile !== undefined || ctx.flags.url !== undefined || ctx.flags.cluster !== undefined;
  const running = explicit ? undefined : await new Sandbox(ctx.store).reachable();
  const sandbox = explicit || running ? undefined : new Sandbox(ctx.store);
  const target = running ? { profile: running } : sandbox ? { profile: await sandbox.start() } : await resolveTarget(ctx);
  const say = (line: string): void => void (ctx.flags.json ? process.stderr : process.stdout).write(`${line}\n`);
  if (running) say(`demo: using the running console's sandbox "${running.name}"`);
  if (sandbox) say(`demo: started the local sandbox on ${target.profile.topology.kind === 'standalone' ? `127.0.0.1:${target.profile.topology.port}` : ''} — connect the console to the "${target.profile.name}" profile to watch`);
  const session = new Session(target.profile, 'password' in target ? target.password : undefined, () => undefined);
  const stop = new AbortController();
  const interrupt = (): void => stop.abort();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    await session.open();
    say(`demo: ${swarms} swarm(s) × ${agents} agents${seconds ? ` for ${seconds} s` : ' until Ctrl-C'}`);
    const report = await runDemo(session.client, { swarms, agents, durationMs: seconds === undefined ? undefined : seconds * 1000, prefix: target.profile.keyPrefix, signal: stop.signal, log: (line) => say(line) });
    const text = `demo finished: ${report.swarms.length} swarms, ${report.agents} agents, ${report.messages} messages, ${report.tasksCompleted} tasks completed (${report.tasksFailed} failed attempts), ${report.elections} elections, ${report.crashes} crashes, proposals ${JSON.stringify(report.proposals)}`;
    return { json: report, text };
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    session.close();
    await sandbox?.stop();
  }
}
