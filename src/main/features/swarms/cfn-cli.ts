import { UsageError, type CliCommand, type Output } from '../../hosts/cli/command';
import { connectTarget, type Context } from '../../hosts/cli/context';
import { table } from '../../hosts/cli/output';

const ago = (ms: number | undefined): string => (ms === undefined ? 'none' : `${Math.round(ms / 1000)} s ago`);
const when = (at: number): string => (at ? new Date(at).toISOString() : '-');

/** The swarms with their stored and evidenced status, and the ghosts of expired ones. */
async function swarmsText(ctx: Context, profileId: string): Promise<Output> {
  const list = await ctx.api.call('swarms.list', { profileId });
  const swarms = list.swarms.filter((s) => s.source === 'claude-flow-novice');
  const ghosts = list.ghosts ?? [];
  const rows = [
    ['SWARM', 'ORIGIN', 'STORED', 'EVIDENCE', 'OBJECTIVE', 'LIVE/AGENTS', 'FINDINGS', 'LAST SEEN'],
    ...swarms.map((s) => [
      s.id,
      s.origin ?? '-',
      s.storedStatus ?? '-',
      s.status,
      s.name,
      `${s.liveAgents}/${s.agents}`,
      String(s.findings),
      when(s.lastActivity),
    ]),
  ];
  const ghostText = ghosts.length
    ? `\n${ghosts.length} ghost(s): status-set members whose swarm key expired\n${table([['SWARM', 'STATUS SET'], ...ghosts.map((g) => [g.id, g.status])])}`
    : '\nno ghosts';
  return {
    json: { swarms, ghosts },
    text: list.claudeFlowNovice ? `${table(rows)}${ghostText}` : 'no claude-flow-novice deployment on this connection',
  };
}

/** Every blocking wait with its verdict, and the peers of the flagged ones. */
async function blockingText(ctx: Context, profileId: string): Promise<Output> {
  const waits = await ctx.api.call('swarms.cfnBlocking', { profileId });
  const rows = [
    ['SWARM', 'COORDINATOR', 'STATUS', 'SINCE', 'ITER', 'PHASE', 'HEARTBEAT', 'VERDICT', 'WHY'],
    ...waits.map((w) => [
      w.swarmId,
      w.coordinator,
      w.status,
      when(w.since),
      String(w.iteration ?? '-'),
      w.phase ?? '-',
      ago(w.heartbeatAgeMs),
      w.verdict,
      w.message,
    ]),
  ];
  const peers = waits
    .filter((w) => w.verdict === 'stuck' || w.verdict === 'dead')
    .flatMap((w) =>
      w.peers.map((p) => [
        w.coordinator,
        p.coordinator,
        p.acknowledged.join(',') || '-',
        p.unreadSignal ?? '-',
        ago(p.heartbeatAgeMs),
        p.escalated ? 'yes' : 'no',
        p.replacement ? `${p.replacement.coordinator}${p.replacement.started ? '' : ' (never started)'}` : '-',
      ]),
    );
  const peerText = peers.length
    ? `\n\npeers of flagged waits:\n${table([['WAITER', 'PEER', 'ACKED', 'UNREAD SIGNAL', 'HEARTBEAT', 'ESCALATED', 'REPLACEMENT'], ...peers])}`
    : '';
  return { json: waits, text: waits.length ? `${table(rows)}${peerText}` : 'no blocking waits' };
}

/** The task routing: its leader, queue, agents and failures. */
async function tasksText(ctx: Context, profileId: string): Promise<Output> {
  const t = await ctx.api.call('swarms.cfnTasks', { profileId });
  const head = `leader: ${t.leader ? `${t.leader.coordinator} (lease ${Math.max(0, Math.round(t.leader.ttlMs / 1000))} s left)` : 'none'}; queue: ${t.queue.depth} task(s), oldest queued ${ago(t.queue.oldestAgeMs)}`;
  const agents = t.agents.length
    ? table([['AGENT', 'TYPE', 'STATUS', 'LOAD'], ...t.agents.map((a) => [a.id, a.type, a.status, a.load.toFixed(2)])])
    : 'no agents';
  const failures = t.failures.length
    ? table([['TASK', 'WHAT', 'ERROR', 'AT'], ...t.failures.map((f) => [f.taskId, f.task, f.error, when(f.at)])])
    : 'no routing failures';
  return { json: t, text: [head, '', agents, '', failures].join('\n') };
}

/** A swarm's snapshots, checkpoints and saved state. */
async function statesText(ctx: Context, profileId: string, id: string | undefined): Promise<Output> {
  if (!id) throw new UsageError('cfn states needs a swarm id');
  const s = await ctx.api.call('swarms.cfnStates', { profileId, swarmId: id });
  const rows = s.saved.length
    ? table([['KIND', 'ID', 'AT', 'LABEL', 'BYTES'], ...s.saved.map((r) => [r.kind, r.id, when(r.at), r.label, String(r.bytes)])])
    : 'no snapshots or checkpoints';
  return { json: s, text: `${rows}\n\nsaved state:\n${s.state ?? 'none'}` };
}

/** A claude-flow-novice deployment as it really is, read only: swarms with evidence, stuck coordinators, its task routing, saved states. */
export const cfnCommands: CliCommand<Context>[] = [
  {
    words: ['cfn'],
    usage: [
      'cfn swarms                            claude-flow-novice swarms (CLI, registry, archived) with stored and evidenced status, and ghosts',
      'cfn blocking                          every blocking wait: peers, unread signals, heartbeats and a verdict',
      'cfn tasks                             its leader, routing queue, agents and routing failures',
      "cfn states <swarm>                    a swarm's saved state, snapshots and checkpoints (passwords redacted)",
    ],
    async run([, action, id], ctx) {
      const profile = await connectTarget(ctx);
      const profileId = profile.id;
      switch (action) {
        case 'swarms':
          return swarmsText(ctx, profileId);
        case 'blocking':
          return blockingText(ctx, profileId);
        case 'tasks':
          return tasksText(ctx, profileId);
        case 'states':
          return statesText(ctx, profileId, id);
        default:
          throw new UsageError('cfn needs an action: swarms, blocking, tasks or states <swarm>');
      }
    },
  },
];
