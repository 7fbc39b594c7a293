import { useEffect, useState } from 'react';
import type { JobView } from '../../../../shared/model/job';
import type { MonitorLine } from '../../../../shared/model/console';
import { errorText, type Notice } from '../../components/notice';
import { usePoll } from '../../components/use-poll';
import { transport } from '../../transport';

/** Lines kept in the window; MONITOR on a busy server says more than anyone reads. */
const KEEP = 20_000;
const RATE_POINTS = 60;

export interface MonitorLines {
  lines: MonitorLine[];
  /** Lines the job's own window let go before they were read. */
  dropped: number;
  /** The job's rate at each read, the latest RATE_POINTS. */
  rates: number[];
  /** Forgets what a previous job said. */
  reset(): void;
}

/** The lines a MONITOR job has seen, read from its kept window while it runs and once more when it ends. */
export function useMonitorLines(jobId: string | undefined, job: JobView | undefined, report: (n: Notice) => void): MonitorLines {
  const [lines, setLines] = useState<MonitorLine[]>([]);
  const [next, setNext] = useState(0);
  const [dropped, setDropped] = useState(0);
  const [rates, setRates] = useState<number[]>([]);
  const running = job?.state === 'running';

  const fetchLines = (): void => {
    if (!jobId) return;
    transport.call('console.monitorLines', { jobId, after: next, limit: 5000 }).then(
      (page) => {
        setNext(page.next);
        setDropped((d) => d + page.dropped);
        if (page.lines.length) setLines((old) => [...old, ...page.lines].slice(-KEEP));
        setRates((r) => [...r, job?.progress.rate ?? 0].slice(-RATE_POINTS));
      },
      (error: unknown) => report({ kind: 'error', text: errorText(error) }),
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

  const reset = (): void => {
    setLines([]);
    setNext(0);
    setDropped(0);
    setRates([]);
  };
  return { lines, dropped, rates, reset };
}
