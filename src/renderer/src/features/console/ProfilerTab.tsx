import { useMemo, useState } from 'react';
import type { OpInput } from '../../../../shared/contract';
import { useJob, useJobs } from '../../app/jobs-store';
import type { LiveConnection } from '../../app/page';
import { JobProgress } from '../../components/JobProgress';
import { refusedProps } from '../../components/guard-button';
import { NoticeBar, type Notice } from '../../components/notice';
import { useDeclaredAction } from '../../components/use-declared-action';
import { transport } from '../../transport';
import { MonitoredCommands } from './MonitoredCommands';
import { ProfilerForm, type ProfilerSettings } from './ProfilerForm';
import { ProfilerStats } from './ProfilerStats';
import { useMonitorLines } from './use-monitor-lines';

const monitorInput = (profileId: string, s: ProfilerSettings, node: string): OpInput<'console.monitor'> => {
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

/** MONITOR as a job: a rate meter, per-shard counts, a filter over what was seen, and a stop. */
export function ProfilerTab({ connection: { profileId, profile }, nodes }: { connection: LiveConnection; nodes: string[] }) {
  const [settings, setSettings] = useState<ProfilerSettings>({ seconds: 60, maxCommands: 100_000, commands: '', contains: '' });
  const [node, setNode] = useState('');
  const [jobId, setJobId] = useState<string | undefined>();
  const [filter, setFilter] = useState('');
  const [notice, setNotice] = useState<Notice | undefined>();
  const job = useJob(jobId);
  const running = job?.state === 'running';
  const { lines, dropped, rates, reset } = useMonitorLines(jobId, job, setNotice);

  const start = useDeclaredAction('console.monitor', profile, {
    inputOf: (input: OpInput<'console.monitor'>) => input,
    perform: async (input, confirm) => {
      const started = await transport.call('console.monitor', { ...input, ...(confirm ? { confirm } : {}) });
      useJobs.getState().apply(started);
      reset();
      setJobId(started.id);
      return undefined;
    },
    report: setNotice,
  });
  const input = monitorInput(profileId, settings, node);
  const decision = start.decide(input);

  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return f ? lines.filter((l) => l.argv.join(' ').toLowerCase().includes(f) || l.client.includes(f)) : lines;
  }, [lines, filter]);

  return (
    <div className="profiler" data-testid="profiler">
      <ProfilerForm settings={settings} setSettings={setSettings} nodes={nodes} node={node} setNode={setNode}>
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
                payload: input,
                title: 'Start the profiler',
                body: `MONITOR shows every command every client sends to ${profile.name}, values included, and costs the server throughput while it runs.`,
                confirmLabel: 'Start MONITOR',
              })
            }
          >
            ▶ Start profiler
          </button>
        )}
      </ProfilerForm>
      <NoticeBar notice={notice} />
      {job && <JobProgress job={job} cancellable={false} />}
      {job && <ProfilerStats job={job} lines={lines} shown={shown} dropped={dropped} rates={rates} />}
      {job && <MonitoredCommands shown={shown} filter={filter} setFilter={setFilter} />}
      {start.dialog}
    </div>
  );
}
