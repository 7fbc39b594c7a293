import { useCallback, useState } from 'react';
import type { ProfileView } from '../../../../shared/model/profile';
import { errorText, NoticeBar, type Notice } from '../../components/notice';
import { StreamPanel } from '../../components/StreamPanel';
import { useConfirmedAction } from '../../components/use-confirmed-action';
import { VirtualTable } from '../../components/VirtualTable';
import { transport } from '../../transport';
import { AgentCard } from './AgentCard';
import { ConsensusPanel } from './ConsensusPanel';
import { CoordinationPanel } from './CoordinationPanel';
import { EventTimeline } from './EventTimeline';
import { GraphPanel } from './GraphPanel';
import { ProposalDialog } from './ProposalDialog';
import type { SwarmAction } from './swarm-action';
import { AGENT_COLUMNS } from './swarm-columns';
import { SwarmHeader } from './SwarmHeader';
import { useSwarms } from './swarms-store';
import { useSwarmWatch } from './use-swarm-watch';

/** One swarm: its graph, agents, consensus, events and the operator's actions on it. */
export function SwarmDetailView({ profile }: { profile: ProfileView }) {
  const { detail, pulses, timeline, timelineComplete, selected } = useSwarms();
  const store = useSwarms.getState();
  const [agent, setAgent] = useState<string | undefined>();
  const [proposing, setProposing] = useState(false);
  const [proposal, setProposal] = useState<string | undefined>();
  const [notice, setNotice] = useState<Notice | undefined>();
  const profileId = profile.id;
  const production = profile.environment === 'production';

  useSwarmWatch(profileId, selected ? `${selected.source}:${selected.id}` : '', (text) => setNotice({ kind: 'error', text }));

  const actions = useConfirmedAction<SwarmAction>({
    typedName: () => (production ? detail?.id : undefined),
    perform: async (p, confirm) => {
      const done = await store.act(profileId, p.action, { ...(p.agentId ? { agentId: p.agentId } : {}), ...(confirm ? { confirm } : {}) });
      if (p.action === 'removeAgent') setAgent(undefined);
      // Main says what happened ("paused", "removed a-1", "stepped down a-1"): a sentence, not "Pause: paused".
      const said = `${done.charAt(0).toUpperCase()}${done.slice(1)}`;
      return p.action === 'removeAgent' ? said : p.action === 'stepDown' ? `${said} as leader` : `Swarm ${detail?.id ?? ''} is now ${done}`;
    },
    report: setNotice,
  });

  const target = selected?.id;
  const loadAudit = useCallback(
    async () => (target ? transport.call('audit.recent', { profileId, count: 10, target, action: 'swarm.' }) : []),
    [profileId, target],
  );

  if (!detail || !selected)
    return (
      <div className="page">
        <p className="muted">Loading swarm…</p>
      </div>
    );
  const readOnlySource = detail.source !== 'swarmdeck';
  const locked = readOnlySource || profile.readOnly;
  const lockReason = readOnlySource
    ? 'claude-flow-novice swarms are read-only in Swarmdeck'
    : profile.readOnly
      ? 'this profile is read-only'
      : undefined;

  return (
    <div className="page swarm-detail">
      <SwarmHeader
        detail={detail}
        readOnlySource={readOnlySource}
        locked={locked}
        lockReason={lockReason}
        busy={actions.busy}
        ask={actions.ask}
      />
      <NoticeBar notice={notice} />
      {detail.findings.length > 0 && (
        <details className="findings" open={detail.findings.length <= 6} data-testid="findings">
          <summary>
            <span className="tag tag-warn">{detail.findings.length}</span> {detail.findings.length === 1 ? 'finding' : 'findings'} — where
            what is stored and the evidence disagree
          </summary>
          <ul>
            {detail.findings.slice(0, 50).map((f, i) => (
              <li key={i}>
                <span className="mono muted">{f.kind}</span> {f.message}
              </li>
            ))}
          </ul>
        </details>
      )}
      <div className="swarm-grid">
        <GraphPanel detail={detail} pulses={pulses} agent={agent} onSelect={setAgent} />
        <AgentCard detail={detail} agent={agent} onSelect={setAgent} locked={locked} lockReason={lockReason} ask={actions.ask} />
      </div>
      {detail.source === 'claude-flow-novice' && <CoordinationPanel profileId={profileId} swarmId={detail.id} />}
      <section className="panel">
        <header className="panel-head">
          <h3>Agents</h3>
          <span className="muted">{detail.agents.length} · sort by any column</span>
        </header>
        <VirtualTable
          label="Agents"
          testId="agents-table"
          rows={detail.agents}
          columns={AGENT_COLUMNS}
          rowKey={(a) => a.id}
          height={280}
          initialSort={{ key: 'state', descending: false }}
          selectedKey={agent}
          onRowClick={(a) => setAgent(a.id)}
        />
      </section>
      <div className="two-col">
        <ConsensusPanel
          proposals={detail.proposals}
          chosen={proposal}
          onChoose={setProposal}
          canPropose={!locked && detail.status === 'running'}
          onPropose={() => setProposing(true)}
        />
        <EventTimeline entries={timeline} complete={timelineComplete} onOlder={() => void store.loadOlder(profileId)} />
      </div>
      <StreamPanel
        title="Operator actions on this swarm"
        load={loadAudit}
        version={`${detail.updatedAt}:${detail.status}:${detail.proposals.length}:${detail.agents.length}:${detail.leader?.epoch ?? '-'}`}
        columns={[
          { field: 'action', label: 'Action' },
          { field: 'detail', label: 'Detail' },
          { field: 'profile', label: 'Profile' },
        ]}
        testId="swarm-audit"
      />
      {actions.dialog}
      {proposing && (
        <ProposalDialog
          strategy={detail.strategy}
          typedConfirmation={production ? detail.id : undefined}
          onCancel={() => setProposing(false)}
          onSubmit={async (input, confirm) => {
            setProposing(false);
            try {
              const id = await store.propose(profileId, input, confirm);
              setProposal(id);
              setNotice({ kind: 'ok', text: `Opened ${id}: "${input.title}"` });
            } catch (error) {
              setNotice({ kind: 'error', text: errorText(error) });
            }
          }}
        />
      )}
    </div>
  );
}
