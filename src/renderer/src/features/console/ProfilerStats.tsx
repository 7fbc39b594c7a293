import { useMemo, type ReactNode } from 'react';
import type { JobView } from '../../../../shared/model/job';
import type { MonitorLine } from '../../../../shared/model/console';
import { Sparkline } from '../../components/Sparkline';

interface Props {
  job: JobView;
  /** Every line kept in the window. */
  lines: MonitorLine[];
  /** The lines the filter lets through: the top commands are among them. */
  shown: MonitorLine[];
  dropped: number;
  rates: number[];
}

const byCount = (a: [string, number], b: [string, number]): number => b[1] - a[1];

/** A bar per name, as long as its count against the longest. */
function Bars({ rows, name }: { rows: [string, number][]; name(text: string): ReactNode }) {
  const max = Math.max(1, ...rows.map(([, n]) => n));
  return rows.map(([n, count]) => (
    <div key={n} className="bar-row">
      {name(n)}
      <div className="bar">
        <i style={{ width: `${(count / max) * 100}%` }} />
      </div>
      <span className="num">{count.toLocaleString('en')}</span>
    </div>
  ));
}

/** The rate meter, the commands per shard and the commands seen most. */
export function ProfilerStats({ job, lines, shown, dropped, rates }: Props) {
  const parts = job.progress.parts;
  const perShard = useMemo(() => {
    // The job's own per-node counts cover every command; the kept window only the latest.
    if (parts)
      return Object.entries(parts)
        .map(([n, p]): [string, number] => [n, p.done])
        .sort(byCount);
    const counts = new Map<string, number>();
    for (const l of lines) counts.set(l.node, (counts.get(l.node) ?? 0) + 1);
    return [...counts.entries()].sort(byCount);
  }, [lines, parts]);
  const topCommands = useMemo(() => {
    const counts = new Map<string, number>();
    for (const l of shown) {
      const c = (l.argv[0] ?? '').toUpperCase();
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    return [...counts.entries()].sort(byCount).slice(0, 8);
  }, [shown]);
  return (
    <div className="profiler-stats">
      <section className="panel rate-meter" aria-label="rate">
        <header className="panel-head">
          <h3>Rate</h3>
        </header>
        <div className="big-figure" data-testid="profiler-rate">
          {Math.round(job.progress.rate ?? 0).toLocaleString('en')}
          <small> cmd/s</small>
        </div>
        <Sparkline values={rates} width={220} height={44} />
        <div className="muted">
          {lines.length.toLocaleString('en')} seen{dropped ? ` · ${dropped.toLocaleString('en')} dropped from the window` : ''}
        </div>
      </section>
      <section className="panel" aria-label="per shard">
        <header className="panel-head">
          <h3>Per shard</h3>
        </header>
        {perShard.length === 0 && <p className="muted">No commands yet.</p>}
        <Bars rows={perShard} name={(n) => <span className="mono">{n}</span>} />
      </section>
      <section className="panel" aria-label="top commands">
        <header className="panel-head">
          <h3>Top commands</h3>
        </header>
        <Bars rows={topCommands} name={(c) => <code>{c}</code>} />
      </section>
    </div>
  );
}
