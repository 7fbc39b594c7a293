import type { SwarmDetail, SwarmSource } from '../../../shared/model/swarm';
import { UsageError, type CliCommand } from '../../hosts/cli/command';
import { connectTarget, type Context } from '../../hosts/cli/context';
import { table } from '../../hosts/cli/output';

const age = (ms: number | undefined): string => (ms === undefined ? 'never' : ms < 1000 ? 'now' : `${Math.round(ms / 1000)} s ago`);

export const swarmCommands: CliCommand<Context>[] = [
  {
    words: ['swarms'],
    usage: ['swarms list                           every swarm (and a claude-flow-novice registry, read-only)'],
    async run([, action], ctx) {
      if (action !== 'list') throw new UsageError('swarms needs an action: list');
      const profile = await connectTarget(ctx);
      const list = await ctx.api.call('swarms.list', { profileId: profile.id });
      const rows = [['SWARM', 'NAME', 'SOURCE', 'STATUS', 'TOPOLOGY', 'LIVE/AGENTS', 'LEADER', 'FINDINGS', 'LAST ACTIVITY']];
      for (const s of list.swarms)
        rows.push([
          s.id,
          s.name,
          s.source,
          s.status,
          s.topology,
          `${s.liveAgents}/${s.agents}`,
          s.leader ?? '-',
          String(s.findings),
          age(Date.now() - s.lastActivity),
        ]);
      const note = list.claudeFlowNovice ? '\n(claude-flow-novice registry found: its swarms are listed read-only)' : '';
      return { json: list, text: list.swarms.length ? `${table(rows)}${note}` : 'no swarms' };
    },
  },
  {
    words: ['swarm'],
    usage: ['swarm show <id> [--source claude-flow-novice]   agents, edges, leader, proposals, findings'],
    flags: { source: { type: 'string' } },
    async run([, action, id], ctx) {
      if (action !== 'show' || !id) throw new UsageError('swarm needs: show <id>');
      const source: SwarmSource = ctx.flags.source === 'claude-flow-novice' ? 'claude-flow-novice' : 'swarmdeck';
      const profile = await connectTarget(ctx);
      const d = await ctx.api.call('swarms.show', { profileId: profile.id, swarmId: id, source });
      return { json: d, text: detailText(d) };
    },
  },
];

function detailText(d: SwarmDetail): string {
  const head = [
    `swarm ${d.id} "${d.name}" (${d.source}): ${d.status}, ${d.topology}, ${d.strategy} consensus, ${d.liveAgents}/${d.agents.length} agents live`,
    `leader: ${d.leader ? `${d.leader.agent} (epoch ${d.leader.epoch}, lease ${Math.round(d.leader.ttlMs)} ms left)` : 'none'}; messages: ${d.messages}`,
  ];
  const agents = table([
    ['AGENT', 'ROLE', 'TYPE', 'LIVE', 'REPORTS', 'HEARTBEAT', 'TASK', 'CAPABILITIES'],
    ...d.agents.map((a) => [
      a.id,
      a.role,
      a.type,
      a.live ? 'yes' : 'NO',
      a.reported,
      age(a.heartbeatAgeMs),
      a.task ?? '-',
      a.capabilities.join(','),
    ]),
  ]);
  const edges = d.edges.length ? table([['FROM', 'TO', 'WHY'], ...d.edges.map((e) => [e.from, e.to, e.reason])]) : 'no edges';
  const proposals = d.proposals.length
    ? table([
        ['PROPOSAL', 'TITLE', 'STATUS', 'YES', 'PARTICIPATION', 'VOTES'],
        ...d.proposals.map((p) => [
          p.id,
          p.title,
          p.status,
          `${(p.ratio * 100).toFixed(0)} %`,
          `${(p.participation * 100).toFixed(0)} %`,
          String(p.votes.length),
        ]),
      ])
    : 'no proposals';
  const findings = d.findings.length ? d.findings.map((f) => `- ${f.message}`).join('\n') : 'no findings';
  return [...head, '', agents, '', edges, '', proposals, '', 'findings:', findings].join('\n');
}
