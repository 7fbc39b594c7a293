import { useEffect, useMemo, useState } from 'react';
import type { MonitorLine } from '../../../../shared/model/console';
import type { OpInput } from '../../../../shared/contract';
import { declaredGuard } from '../../../../shared/declared-guard';
import { useJob, useJobs } from '../../app/jobs-store';
import type { LiveConnection } from '../../app/page';
import { JobProgress } from '../../components/JobProgress';
import { confirmationOf } from '../../components/declared-action';
import { refusedProps } from '../../components/guard-button';
import { NoticeBar, errorText, type Notice } from '../../components/notice';
import { Sparkline } from '../../components/Sparkline';
import { useConfirmedAction } from '../../components/use-confirmed-action';
import { usePoll } from '../../components/use-poll';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import { transport } from '../../transport';

/** Lines kept in the window; MONITOR on a busy server says more than anyone reads. */
const KEEP = 20_000;
const RATE_POINTS = 60;

interface Settings {
  seconds: number;
  maxCommands: number;
  commands: string;
  contains: string;
}

const columns: Column<MonitorLine>[] = [
  {
    key: 'time',
    label: 'Time',
    width: '120px',
    render: (l) => new Date(l.time * 1000).toISOString().slice(11, 23),
    compare: (a, b) => a.time - b.time,
    className: 'mono muted',
  },
  { key: 'node', label: 'Node', width: '140px', render: (l) => l.node, compare: (a, b) => a.node.localeCompare(b.node), className: 'mono' },
  { key: 'client', label: 'Client', width: '150px', render: (l) => `${l.db} ${l.client}`, className: 'mono muted' },
  {
    key: 'cmd',
    label: 'Command',
    width: 'minmax(300px, 1fr)',
    render: (l) => (
      <code>
        <b>{l.argv[0]}</b> {l.argv.slice(1).join(' ')}
      </code>
    ),
  },
];

/** MONITOR as a job: a rate meter, per-shard counts, a filter over what was seen, and a stop. */
export function ProfilerTab({ connection: { profileId, profile }, nodes }: { connection: LiveConnection; nodes: string[] }) {
  const [settings, setSettings] = useState<Settings>({ seconds: 60, maxCommands: 100_000, commands: '', contains: '' });
  const [node, setNode] = useState('');
  const [jobId, setJobId] = useState<string | undefined>();
  const [lines, setLines] = useState<MonitorLine[]>([]);
  const [next, setNext] = useState(0);
  const [dropped, setDropped] = useState(0);
  const [rates, setRates] = useState<number[]>([]);
  const [filter, setFilter] = useState('');
  const [notice, setNotice] = useState<Notice | undefined>();
  const job = useJob(jobId);
  const running = job?.state === 'running';
  const monitorInput = (s: Settings): OpInput<'console.monitor'> => {
    const commands = s.commands.split(/[\s,]+/).filter(Boolean);
    return {
      profileId,
      seconds: s.seconds,
      maxCommands: s.maxCommands,
      ...(commands.length ? { commands } : {}),
      ...(s.contains ? { contains: s.contains } : {}),
      ...(node ? { node } : {}),
    };
  };
  const decision = declaredGuard('console.monitor', monitorInput(settings), profile);

  const fetchLines = (): void => {
    if (!jobId) return;
    transport.call('console.monitorLines', { jobId, after: next, limit: 5000 }).then(
      (page) => {
        setNext(page.next);
        setDropped((d) => d + page.dropped);
        if (page.lines.length) setLines((old) => [...old, ...page.lines].slice(-KEEP));
        setRates((r) => [...r, job?.progress.rate ?? 0].slice(-RATE_POINTS));
      },
      (error: unknown) => setNotice({ kind: 'error', text: errorText(error) }),
    );
  };
  // Read the job's kept window while it runs…
  usePoll(fetchLines, 700, [jobId], running);
  // …and once more when it ends, for what came after the last read.
  const ended = Boolean(job) && !running;
  useEffect(() => {
    if (ended) fetchLines();
    // Only the transition matters; fetchLines reads the latest cursor itself.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ended, jobId]);

  const start = useConfirmedAction<Settings>({
    perform: async (s, confirm) => {
      const started = await transport.call('console.monitor', { ...monitorInput(s), ...(confirm ? { confirm } : {}) });
      useJobs.getState().apply(started);
      setLines([]);
      setNext(0);
      setDropped(0);
      setRates([]);
      setJobId(started.id);
      return undefined;
    },
    report: setNotice,
  });

  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return f ? lines.filter((l) => l.argv.join(' ').toLowerCase().includes(f) || l.client.includes(f)) : lines;
  }, [lines, filter]);
  const parts = job?.progress.parts;
  const perShard = useMemo(() => {
    // The job's own per-node counts cover every command; the kept window only the latest.
    if (parts)
      return Object.entries(parts)
        .map(([n, p]): [string, number] => [n, p.done])
        .sort((a, b) => b[1] - a[1]);
    const counts = new Map<string, number>();
    for (const l of lines) counts.set(l.node, (counts.get(l.node) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1]);
  }, [lines, parts]);
  const topCommands = useMemo(() => {
    const counts = new Map<string, number>();
    for (const l of shown) {
      const c = (l.argv[0] ?? '').toUpperCase();
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
  }, [shown]);
  const maxShard = Math.max(1, ...perShard.map(([, n]) => n));

  return (
    <div className="profiler" data-testid="profiler">
      <section className="panel profiler-form">
        <label className="field inline">
          <span>Seconds</span>
          <input
            className="input input-small"
            type="number"
            min={1}
            max={3600}
            value={settings.seconds}
            onChange={(e) => setSettings({ ...settings, seconds: Number(e.target.value) })}
          />
        </label>
        <label className="field inline">
          <span>Max commands</span>
          <input
            className="input input-small"
            type="number"
            min={1}
            value={settings.maxCommands}
            onChange={(e) => setSettings({ ...settings, maxCommands: Number(e.target.value) })}
          />
        </label>
        <label className="field inline">
          <span>Only commands</span>
          <input
            className="input"
            placeholder="e.g. GET SET HGETALL"
            value={settings.commands}
            onChange={(e) => setSettings({ ...settings, commands: e.target.value })}
          />
        </label>
        <label className="field inline">
          <span>Containing</span>
          <input
            className="input"
            placeholder="text in the line"
            value={settings.contains}
            onChange={(e) => setSettings({ ...settings, contains: e.target.value })}
          />
        </label>
        {nodes.length > 0 && (
          <label className="field inline">
            <span>Node</span>
            <select className="input" value={node} onChange={(e) => setNode(e.target.value)}>
              <option value="">every master</option>
              {nodes.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        )}
        {running ? (
          <button
            type="button"
            className="btn btn-danger"
            onClick={() => jobId && void useJobs.getState().cancel(jobId)}
            data-testid="profiler-stop"
          >
            ■ Stop
          </button>
        ) : (
          <button
            type="button"
            className="btn btn-primary"
            {...refusedProps(decision)}
            disabled={!decision.allowed || start.busy}
            data-testid="profiler-start"
            onClick={() =>
              start.ask({
                payload: settings,
                title: 'Start the profiler',
                body: `MONITOR shows every command every client sends to ${profile.name}, values included, and costs the server throughput while it runs.`,
                confirmLabel: 'Start MONITOR',
                ...confirmationOf(decision),
              })
            }
          >
            ▶ Start profiler
          </button>
        )}
      </section>
      <NoticeBar notice={notice} />
      {job && <JobProgress job={job} cancellable={false} />}
      {job && (
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
            {perShard.map(([n, count]) => (
              <div key={n} className="bar-row">
                <span className="mono">{n}</span>
                <div className="bar">
                  <i style={{ width: `${(count / maxShard) * 100}%` }} />
                </div>
                <span className="num">{count.toLocaleString('en')}</span>
              </div>
            ))}
          </section>
          <section className="panel" aria-label="top commands">
            <header className="panel-head">
              <h3>Top commands</h3>
            </header>
            {topCommands.map(([c, count]) => (
              <div key={c} className="bar-row">
                <code>{c}</code>
                <div className="bar">
                  <i style={{ width: `${(count / Math.max(1, topCommands[0]?.[1] ?? 1)) * 100}%` }} />
                </div>
                <span className="num">{count.toLocaleString('en')}</span>
              </div>
            ))}
          </section>
        </div>
      )}
      {job && (
        <section className="panel">
          <header className="panel-head">
            <h3>Commands</h3>
            <input
              className="input"
              type="search"
              placeholder="Filter what was seen"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              aria-label="filter commands"
            />
            <span className="muted">{shown.length.toLocaleString('en')} shown</span>
          </header>
          <VirtualTable
            rows={shown}
            columns={columns}
            rowKey={(l) => String(l.seq)}
            height={360}
            rowHeight={26}
            label="monitored commands"
            initialSort={{ key: 'time', descending: true }}
            empty="Waiting for commands…"
          />
        </section>
      )}
      {start.dialog}
    </div>
  );
}
