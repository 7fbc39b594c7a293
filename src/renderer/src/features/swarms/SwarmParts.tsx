import { useCallback } from 'react';
import type { SwarmDetail } from '../../../../shared/model/swarm';
import { StreamPanel } from '../../components/StreamPanel';
import { VirtualTable } from '../../components/VirtualTable';
import { AGENT_COLUMNS } from './swarm-columns';
import { useSwarms } from './swarms-store';

/** Where what is stored and the evidence disagree; open while there are few enough to read. */
export function SwarmFindings({ findings }: { findings: SwarmDetail['findings'] }) {
  if (findings.length === 0) return null;
  return (
    <details className="findings" open={findings.length <= 6} data-testid="findings">
      <summary>
        <span className="tag tag-warn">{findings.length}</span> {findings.length === 1 ? 'finding' : 'findings'} — where what is stored and
        the evidence disagree
      </summary>
      <ul>
        {findings.slice(0, 50).map((f, i) => (
          <li key={i}>
            <span className="mono muted">{f.kind}</span> {f.message}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** Every agent of the swarm, sortable; a row selects it. */
export function AgentsPanel({ agents, agent, onSelect }: { agents: SwarmDetail['agents']; agent?: string; onSelect(id: string): void }) {
  return (
    <section className="panel">
      <header className="panel-head">
        <h3>Agents</h3>
        <span className="muted">{agents.length} · sort by any column</span>
      </header>
      <VirtualTable
        label="Agents"
        testId="agents-table"
        rows={agents}
        columns={AGENT_COLUMNS}
        rowKey={(a) => a.id}
        height={280}
        initialSort={{ key: 'state', descending: false }}
        selectedKey={agent}
        onRowClick={(a) => onSelect(a.id)}
      />
    </section>
  );
}

/** The audit entries of operator actions on this swarm, read again whenever the swarm changes. */
export function SwarmAudit({ profileId, swarmId: target, detail }: { profileId: string; swarmId: string; detail: SwarmDetail }) {
  const recentActions = useSwarms((s) => s.recentActions);
  const loadAudit = useCallback(() => recentActions(profileId, target, 10), [recentActions, profileId, target]);
  return (
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
  );
}
