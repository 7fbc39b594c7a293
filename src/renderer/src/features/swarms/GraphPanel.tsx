import { useState } from 'react';
import type { MessageView, SwarmDetail } from '../../../../shared/model/swarm';
import { TopologyGraph } from './TopologyGraph';

interface Props {
  detail: SwarmDetail;
  pulses: MessageView[];
  agent: string | undefined;
  onSelect(agentId: string): void;
}

/** The graph with its folding and neighbour-focus controls. */
export function GraphPanel({ detail, pulses, agent, onSelect }: Props) {
  const [focus, setFocus] = useState(false);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const toggleTeam = (lead: string): void => setCollapsed((c) => {
    const next = new Set(c);
    if (next.has(lead)) next.delete(lead);
    else next.add(lead);
    return next;
  });
  const leads = detail.agents.filter((a) => a.role === 'lead').map((a) => a.id);
  return (
    <section className="panel graph-panel">
      <header className="panel-head">
        <h3>Topology</h3>
        <div className="inline">
          {leads.length > 0 && (
            <>
              <button type="button" className="btn btn-small" onClick={() => setCollapsed(new Set(leads))}>Fold all teams</button>
              <button type="button" className="btn btn-small" onClick={() => setCollapsed(new Set())}>Unfold all</button>
            </>
          )}
          <label className="check"><input type="checkbox" checked={focus} disabled={!agent} onChange={(e) => setFocus(e.target.checked)} /> only the selected agent's neighbours</label>
        </div>
      </header>
      <TopologyGraph detail={detail} collapsed={collapsed} focus={focus ? agent : undefined} selected={agent} pulses={pulses} onSelect={onSelect} onToggleTeam={toggleTeam} />
    </section>
  );
}
