import { useState } from 'react';
import type { ProfileView } from '../../../../shared/model/profile';
import { errorText, NoticeBar, type Notice } from '../../components/notice';
import { AgentCard } from './AgentCard';
import { ConsensusPanel } from './ConsensusPanel';
import { CoordinationPanel } from './CoordinationPanel';
import { EventTimeline } from './EventTimeline';
import { GraphPanel } from './GraphPanel';
import { ProposalDialog } from './ProposalDialog';
import { SwarmHeader } from './SwarmHeader';
import { AgentsPanel, SwarmAudit, SwarmFindings } from './SwarmParts';
import { useSwarms } from './swarms-store';
import { useSwarmActions } from './use-swarm-actions';
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

  useSwarmWatch(profileId, selected ? `${selected.source}:${selected.id}` : '', (text) => setNotice({ kind: 'error', text }));
  const actions = useSwarmActions(profile, detail, { removed: () => setAgent(undefined), report: setNotice });

  if (!detail || !selected)
    return (
      <div className="page">
        <p className="muted">Loading swarm…</p>
      </div>
    );
  const readOnlySource = detail.source !== 'swarmdeck';
  const locked = readOnlySource || profile.readOnly;

  const propose: Parameters<typeof ProposalDialog>[0]['onSubmit'] = async (input, confirm) => {
    setProposing(false);
    try {
      const id = await store.propose(profileId, input, confirm);
      setProposal(id);
      setNotice({ kind: 'ok', text: `Opened ${id}: "${input.title}"` });
    } catch (error) {
      setNotice({ kind: 'error', text: errorText(error) });
    }
  };

  return (
    <div className="page swarm-detail">
      <SwarmHeader detail={detail} readOnlySource={readOnlySource} busy={actions.busy} ask={actions.ask} />
      <NoticeBar notice={notice} />
      <SwarmFindings findings={detail.findings} />
      <div className="swarm-grid">
        <GraphPanel detail={detail} pulses={pulses} agent={agent} onSelect={setAgent} />
        <AgentCard detail={detail} agent={agent} onSelect={setAgent} ask={actions.ask} />
      </div>
      {detail.source === 'claude-flow-novice' && <CoordinationPanel profileId={profileId} swarmId={detail.id} />}
      <AgentsPanel agents={detail.agents} agent={agent} onSelect={setAgent} />
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
      <SwarmAudit profileId={profileId} swarmId={selected.id} detail={detail} />
      {actions.dialog}
      {proposing && (
        <ProposalDialog
          strategy={detail.strategy}
          typedConfirmation={profile.environment === 'production' ? detail.id : undefined}
          onCancel={() => setProposing(false)}
          onSubmit={(input, confirm) => void propose(input, confirm)}
        />
      )}
    </div>
  );
}
