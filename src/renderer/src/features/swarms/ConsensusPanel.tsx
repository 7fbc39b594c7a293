import { useMemo } from 'react';
import type { ProposalView } from '../../../../shared/model/swarm';
import { useEChart, type ChartOption } from '../../components/use-echart';

const OUTCOME_CLASS: Record<ProposalView['status'], string> = {
  open: 'tag-info',
  accepted: 'tag-ok',
  rejected: 'tag-bad',
  expired: 'tag-warn',
};

/** The line a proposal's yes votes must reach, in the units the chart uses. */
function rule(p: ProposalView): { need: number; label: string; unit: string } {
  switch (p.strategy) {
    case 'weighted':
      return { need: p.threshold * p.eligibleWeight, label: `threshold ${(p.threshold * 100).toFixed(0)} % of weight`, unit: 'weight' };
    case 'unanimous':
      return { need: p.eligible, label: 'all eligible', unit: 'votes' };
    case 'leader':
      return { need: 0, label: "the leader's vote decides", unit: 'votes' };
    case 'quorum':
      return { need: Math.floor(p.eligible / 2) + 1, label: 'more than half', unit: 'votes' };
  }
}

function VoteChart({ p }: { p: ProposalView }) {
  const option = useMemo<ChartOption>(() => {
    const r = rule(p);
    const weighted = p.strategy === 'weighted';
    const sum = (value: string): number => p.votes.filter((v) => v.value === value).reduce((a, v) => a + (weighted ? v.weight : 1), 0);
    const max = weighted ? p.eligibleWeight : p.eligible;
    return {
      animation: false,
      grid: { left: 64, right: 24, top: 16, bottom: 24 },
      xAxis: {
        type: 'value',
        max,
        axisLabel: { color: '#8b949e' },
        splitLine: { lineStyle: { color: '#21262d' } },
        name: r.unit,
        nameTextStyle: { color: '#8b949e' },
      },
      yAxis: { type: 'category', data: ['abstain', 'no', 'yes'], axisLabel: { color: '#c9d1d9' } },
      series: [
        {
          type: 'bar',
          barWidth: 14,
          data: [
            { value: sum('abstain'), itemStyle: { color: '#6e7681' } },
            { value: sum('no'), itemStyle: { color: '#f85149' } },
            { value: sum('yes'), itemStyle: { color: '#3fb950' } },
          ],
          label: { show: true, position: 'right', color: '#c9d1d9' },
          markLine:
            r.need > 0
              ? {
                  symbol: 'none',
                  silent: true,
                  lineStyle: { color: '#e3b341', type: 'dashed', width: 2 },
                  label: { formatter: r.label, color: '#e3b341' },
                  data: [{ xAxis: r.need }],
                }
              : undefined,
        },
      ],
    };
  }, [p]);
  const ref = useEChart(option);
  return <div className="vote-chart" ref={ref} />;
}

interface Props {
  proposals: ProposalView[];
  /** The proposal shown; the open ones (then the newest) first when not set. */
  chosen?: string;
  onChoose(id: string): void;
  canPropose: boolean;
  onPropose(): void;
}

/** Open and past proposals: votes against the rule's line, participation, outcome and timing. */
export function ConsensusPanel({ proposals, chosen, onChoose, canPropose, onPropose }: Props) {
  const sorted = useMemo(
    () => [...proposals].sort((a, b) => Number(b.status === 'open') - Number(a.status === 'open') || b.createdAt - a.createdAt),
    [proposals],
  );
  const p = sorted.find((x) => x.id === chosen) ?? sorted[0];
  return (
    <section className="panel consensus-panel" data-testid="consensus-panel">
      <header className="panel-head">
        <h3>Consensus</h3>
        <button type="button" className="btn btn-small" disabled={!canPropose} onClick={onPropose}>
          Open a proposal
        </button>
      </header>
      {sorted.length === 0 ? (
        <p className="muted">No proposals yet. Leaders propose as they work; you can open one too.</p>
      ) : (
        <div className="consensus-body">
          <ul className="proposal-list" aria-label="Proposals">
            {sorted.map((x) => (
              <li key={x.id}>
                <button
                  type="button"
                  className={x.id === p?.id ? 'active' : ''}
                  onClick={() => onChoose(x.id)}
                  data-testid={`proposal-${x.id}`}
                >
                  <span className={`tag ${OUTCOME_CLASS[x.status]}`}>{x.status}</span>
                  <span className="proposal-title">{x.title}</span>
                  <span className="muted mono">{x.id}</span>
                </button>
              </li>
            ))}
          </ul>
          {p && <ProposalDetail p={p} />}
        </div>
      )}
    </section>
  );
}

/** One proposal: who proposed it, the votes against the rule's line, participation and the latest voters. */
function ProposalDetail({ p }: { p: ProposalView }) {
  return (
    <div className="proposal-detail" data-testid="proposal-detail">
      <div className="proposal-head">
        <strong>{p.title}</strong>
        <span className={`tag ${OUTCOME_CLASS[p.status]}`} data-testid="proposal-status">
          {p.status}
        </span>
      </div>
      <div className="muted">
        {p.strategy} · proposed by {p.proposer} ·{' '}
        {p.status === 'open'
          ? `closes at ${new Date(p.deadline).toLocaleTimeString()}`
          : `closed after ${((p.durationMs ?? 0) / 1000).toFixed(1)} s`}
        {p.decidedBy ? ` · decided by leader ${p.decidedBy}` : ''}
      </div>
      <VoteChart p={p} />
      <div className="stat-row">
        <div>
          <span className="muted">yes share</span>
          <strong>{(p.ratio * 100).toFixed(0)} %</strong>
        </div>
        <div>
          <span className="muted">participation</span>
          <strong>{(p.participation * 100).toFixed(0)} %</strong>
          <meter min={0} max={1} value={p.participation} />
        </div>
        <div>
          <span className="muted">voted</span>
          <strong>
            {p.votes.length} / {p.eligible}
          </strong>
        </div>
      </div>
      <VoteTable votes={p.votes} />
    </div>
  );
}

/** The latest twelve votes, newest first. */
function VoteTable({ votes }: { votes: ProposalView['votes'] }) {
  const changed = votes.some((v) => v.changes > 0);
  return (
    <table className="data-table compact votes">
      {/* "Changed" only when some voter changed their vote: an empty column would take the reason's room. */}
      <thead>
        <tr>
          <th>Voter</th>
          <th>Vote</th>
          <th>Conf.</th>
          <th>Reason</th>
          {changed && <th>Changed</th>}
        </tr>
      </thead>
      <tbody>
        {votes
          .slice(-12)
          .reverse()
          .map((v) => (
            <tr key={v.voter}>
              <td className="mono">{v.voter}</td>
              <td className={v.value === 'yes' ? 'ok-text' : v.value === 'no' ? 'error-text' : 'muted'}>{v.value}</td>
              <td>{(v.confidence * 100).toFixed(0)} %</td>
              <td className="muted vote-reason" title={v.reason}>
                {v.reason}
              </td>
              {changed && <td>{v.changes > 0 ? `${v.changes}×` : ''}</td>}
            </tr>
          ))}
      </tbody>
    </table>
  );
}
