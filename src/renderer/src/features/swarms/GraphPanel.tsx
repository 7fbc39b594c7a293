import { useMemo, useState, type FormEvent } from 'react';
import type { MessageView, SwarmDetail } from '../../../../shared/model/swarm';
import { autoFold, findAgent, foldedTeams, leadOf } from './graph-labels';
import { teamsOf } from './graph-layout';
import { TopologyGraph } from './TopologyGraph';

interface Props {
  detail: SwarmDetail;
  pulses: MessageView[];
  agent: string | undefined;
  onSelect(agentId: string): void;
}

/** How teams are folded: big swarms start folded by size; the buttons fold or unfold them all; clicks flip one. */
interface Folding {
  base: 'auto' | 'all' | 'none';
  flipped: ReadonlySet<string>;
}

/** Which teams are folded now, and the ways to change it. */
function useTeamFolding(detail: SwarmDetail) {
  const [folding, setFolding] = useState<Folding>({ base: 'auto', flipped: new Set() });
  const teams = useMemo(() => teamsOf(detail), [detail]);
  const collapsed = useMemo(() => {
    const base =
      folding.base === 'all' ? new Set(teams.keys()) : folding.base === 'none' ? new Set<string>() : autoFold(teams, detail.agents.length);
    return foldedTeams(base, folding.flipped);
  }, [folding, teams, detail.agents.length]);
  const toggleTeam = (lead: string): void =>
    setFolding((f) => {
      const flipped = new Set(f.flipped);
      if (flipped.has(lead)) flipped.delete(lead);
      else flipped.add(lead);
      return { ...f, flipped };
    });
  const foldAll = (fold: boolean): void => setFolding({ base: fold ? 'all' : 'none', flipped: new Set() });
  return { teams, collapsed, toggleTeam, foldAll };
}

/** The graph with its folding, find and neighbour-focus controls. */
export function GraphPanel({ detail, pulses, agent, onSelect }: Props) {
  const [focus, setFocus] = useState(false);
  const [query, setQuery] = useState('');
  const [missing, setMissing] = useState<string | undefined>(undefined);
  const [centre, setCentre] = useState<{ id: string; at: number } | undefined>(undefined);
  const { teams, collapsed, toggleTeam, foldAll } = useTeamFolding(detail);
  const find = (event: FormEvent): void => {
    event.preventDefault();
    const id = findAgent(detail.agents, query);
    setMissing(id ? undefined : query.trim());
    if (!id) return;
    // A folded team is opened so that the agent is there to centre on.
    const lead = leadOf(teams, id);
    if (lead && collapsed.has(lead)) toggleTeam(lead);
    setFocus(false);
    onSelect(id);
    setCentre({ id, at: Date.now() });
  };
  return (
    <section className="panel graph-panel">
      <header className="panel-head">
        <h3>Topology</h3>
        <div className="inline">
          <form className="inline" role="search" onSubmit={find}>
            <input
              type="search"
              aria-label="Find agent"
              placeholder="find agent"
              value={query}
              list="graph-agent-ids"
              onChange={(e) => setQuery(e.target.value)}
            />
            <datalist id="graph-agent-ids">
              {detail.agents.length <= 2000 && detail.agents.map((a) => <option key={a.id} value={a.id} />)}
            </datalist>
            <button type="submit" className="btn btn-small" disabled={!query.trim()}>
              Find
            </button>
            {missing !== undefined && (
              <span className="muted" role="status">
                no agent matches “{missing}”
              </span>
            )}
          </form>
          {teams.size > 0 && (
            <>
              <button type="button" className="btn btn-small" onClick={() => foldAll(true)}>
                Fold all teams
              </button>
              <button type="button" className="btn btn-small" onClick={() => foldAll(false)}>
                Unfold all
              </button>
            </>
          )}
          <label className="check">
            <input type="checkbox" checked={focus} disabled={!agent} onChange={(e) => setFocus(e.target.checked)} /> only the selected
            agent's neighbours
          </label>
        </div>
      </header>
      <TopologyGraph
        detail={detail}
        collapsed={collapsed}
        focus={focus ? agent : undefined}
        selected={agent}
        centre={centre}
        pulses={pulses}
        onSelect={onSelect}
        onToggleTeam={toggleTeam}
      />
    </section>
  );
}
