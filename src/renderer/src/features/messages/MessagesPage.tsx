import { useEffect, useMemo, useState } from 'react';
import { NoticeBar } from '../../components/notice';
import { usePoll } from '../../components/use-poll';
import { useJob } from '../../app/jobs-store';
import type { LiveConnection } from '../../app/page';
import { EnvelopeView } from './EnvelopeView';
import { PublishPanel } from './PublishPanel';
import { ReceivedTable } from './ReceivedTable';
import { WatchBar } from './WatchBar';
import { useMessages } from './messages-store';
import { matchesFilter } from './viewer-model';

const POLL_MS = 500;

/**
 * The live message viewer: main subscribes on a connection of its own (a job until cancelled),
 * this page reads what arrived, can pause, filter and open one envelope — decoded, inflated
 * and unsealed in main when the key is in the Swarmdeck home.
 */
export function MessagesPage({ connection }: { connection: LiveConnection }) {
  const { profileId } = connection;
  const jobId = useMessages((s) => s.jobId);
  const started = useMessages((s) => s.started);
  const messages = useMessages((s) => s.messages);
  const lastSeq = useMessages((s) => s.lastSeq);
  const paused = useMessages((s) => s.paused);
  const selected = useMessages((s) => s.selected);
  const notice = useMessages((s) => s.notice);
  const [filter, setFilter] = useState('');
  const job = useJob(jobId) ?? started;

  useEffect(() => useMessages.getState().forProfile(profileId), [profileId]);
  usePoll(() => void useMessages.getState().read(), POLL_MS, [jobId, lastSeq], jobId !== undefined && !paused);

  const visible = useMemo(() => messages.filter((m) => matchesFilter(m, filter)).reverse(), [messages, filter]);
  return (
    <div className="page messages-page">
      <header className="page-head">
        <div>
          <h2>Messages</h2>
          <div className="muted">Watch channels live, open sealed and compressed envelopes, publish and route.</div>
        </div>
      </header>
      <NoticeBar notice={notice} />
      <WatchBar job={job} filter={filter} onFilter={setFilter} />
      <div className="two-col">
        <ReceivedTable visible={visible} filter={filter} running={job?.state === 'running'} />
        <EnvelopeView message={messages.find((m) => m.seq === selected)} />
      </div>
      <PublishPanel connection={connection} />
    </div>
  );
}
