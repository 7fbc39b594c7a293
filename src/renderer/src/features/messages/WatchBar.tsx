import { useState } from 'react';
import type { JobView } from '../../../../shared/model/job';
import { JobProgress } from '../../components/JobProgress';
import { useMessages } from './messages-store';

/** What to watch, pause and resume, the filter over what arrived, and the watch job's state. */
export function WatchBar({ job, filter, onFilter }: { job: JobView | undefined; filter: string; onFilter(filter: string): void }) {
  const [mode, setMode] = useState<'channel' | 'pattern'>('pattern');
  const [source, setSource] = useState('*');
  const jobId = useMessages((s) => s.jobId);
  const paused = useMessages((s) => s.paused);
  const dropped = useMessages((s) => s.dropped);
  return (
    <section className="panel" aria-label="Watch">
      <form
        className="messages-watch"
        onSubmit={(e) => {
          e.preventDefault();
          void useMessages.getState().watch(mode === 'channel' ? { channel: source.trim() } : { pattern: source.trim() });
        }}
      >
        <select aria-label="Watch a" value={mode} onChange={(e) => setMode(e.target.value === 'channel' ? 'channel' : 'pattern')}>
          <option value="pattern">Pattern</option>
          <option value="channel">Channel</option>
        </select>
        <input
          aria-label={mode === 'channel' ? 'Channel' : 'Pattern'}
          className="mono"
          value={source}
          onChange={(e) => setSource(e.target.value)}
          placeholder={mode === 'channel' ? 'agents.events' : 'agents.*'}
        />
        <button type="submit" className="btn">
          {job?.state === 'running' ? 'Watch instead' : 'Watch'}
        </button>
        <button type="button" className="btn" disabled={!jobId} aria-pressed={paused} onClick={useMessages.getState().togglePaused}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <input
          aria-label="Filter"
          value={filter}
          onChange={(e) => onFilter(e.target.value)}
          placeholder="Filter: channel, type, publisher, payload…"
        />
      </form>
      {job && <JobProgress job={job} />}
      {dropped > 0 && (
        <p className="muted" data-testid="messages-dropped">
          {dropped} message(s) arrived faster than the page read them and were skipped.
        </p>
      )}
    </section>
  );
}
