import { useMemo, useState } from 'react';
import type { ViewerMessage } from '../../../../shared/contract/messaging';
import type { JobView } from '../../../../shared/model/job';
import { declaredGuard } from '../../../../shared/declared-guard';
import { confirmationOf } from '../../components/declared-action';
import { refusedProps } from '../../components/guard-button';
import { JobProgress } from '../../components/JobProgress';
import { errorText, NoticeBar, type Notice } from '../../components/notice';
import { useConfirmedAction } from '../../components/use-confirmed-action';
import { usePoll } from '../../components/use-poll';
import { useJob } from '../../app/jobs-store';
import type { LiveConnection } from '../../app/page';
import { transport } from '../../transport';
import { appendMessages, flagsOf, matchesFilter } from './viewer-model';

const POLL_MS = 500;

interface Draft {
  channel: string;
  type: string;
  payload: string;
}

/**
 * The live message viewer: main subscribes on a connection of its own (a job until cancelled),
 * this page reads what arrived, can pause, filter and open one envelope — decoded, inflated
 * and unsealed in main when the key is in the Swarmdeck home.
 */
export function MessagesPage({ connection }: { connection: LiveConnection }) {
  const { profileId, profile } = connection;
  const [mode, setMode] = useState<'channel' | 'pattern'>('pattern');
  const [source, setSource] = useState('*');
  const [jobId, setJobId] = useState<string | undefined>();
  const [started, setStarted] = useState<JobView | undefined>();
  const [messages, setMessages] = useState<ViewerMessage[]>([]);
  const [lastSeq, setLastSeq] = useState(0);
  const [dropped, setDropped] = useState(0);
  const [paused, setPaused] = useState(false);
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<number | undefined>();
  const [draft, setDraft] = useState<Draft>({ channel: 'agents.events', type: 'agent.hello', payload: '{\n  "agent": "console"\n}' });
  const [notice, setNotice] = useState<Notice | undefined>();
  const job = useJob(jobId) ?? started;
  const running = job?.state === 'running';

  const start = (): void => {
    if (job?.state === 'running') void transport.call('jobs.cancel', { jobId: job.id }).catch(() => undefined);
    const input = mode === 'channel' ? { profileId, channel: source.trim() } : { profileId, pattern: source.trim() };
    transport
      .call('messages.watch', input)
      .then((view) => {
        setJobId(view.id);
        setStarted(view);
        setMessages([]);
        setLastSeq(0);
        setDropped(0);
        setSelected(undefined);
        setNotice(undefined);
      })
      .catch((error: unknown) => setNotice({ kind: 'error', text: errorText(error) }));
  };

  // Paused: nothing is read, main keeps the last 1,000; on resume the page catches up from its last message.
  usePoll(
    () => {
      if (!jobId) return;
      transport
        .call('messages.read', { jobId, after: lastSeq })
        .then((r) => {
          if (r.messages.length > 0) {
            setMessages((shown) => appendMessages(shown, r.messages));
            setLastSeq((r.messages.at(-1) as ViewerMessage).seq);
          }
          if (r.dropped > 0) setDropped((d) => d + r.dropped);
        })
        .catch((error: unknown) => setNotice({ kind: 'error', text: errorText(error) }));
    },
    POLL_MS,
    [jobId, lastSeq],
    jobId !== undefined && !paused,
  );

  const visible = useMemo(() => messages.filter((m) => matchesFilter(m, filter)).reverse(), [messages, filter]);
  const inspected = messages.find((m) => m.seq === selected);
  const decision = declaredGuard(
    'messages.publish',
    { profileId, channel: draft.channel, type: draft.type, payload: draft.payload },
    profile,
  );
  const publish = useConfirmedAction<Draft>({
    perform: async (d, confirm) => {
      const sent = await transport.call('messages.publish', {
        profileId,
        channel: d.channel,
        type: d.type,
        payload: d.payload,
        ...(confirm ? { confirm } : {}),
      });
      return `Published ${d.type} to ${d.channel}: ${sent.receivers} subscriber(s) received it`;
    },
    report: setNotice,
  });

  return (
    <div className="page messages-page">
      <header className="page-head">
        <div>
          <h2>Messages</h2>
          <div className="muted">Watch channels live, open sealed and compressed envelopes, publish and route.</div>
        </div>
      </header>
      <NoticeBar notice={notice} />
      <section className="panel" aria-label="Watch">
        <form
          className="messages-watch"
          onSubmit={(e) => {
            e.preventDefault();
            start();
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
            {running ? 'Watch instead' : 'Watch'}
          </button>
          <button type="button" className="btn" disabled={!jobId} aria-pressed={paused} onClick={() => setPaused((p) => !p)}>
            {paused ? 'Resume' : 'Pause'}
          </button>
          <input
            aria-label="Filter"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
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
      <div className="two-col">
        <section className="panel" aria-label="Messages received">
          <header className="panel-head">
            <h3>
              Received <span className="count">{messages.length}</span>
            </h3>
            <span className="muted">
              {paused ? 'paused' : running ? 'live' : jobId ? 'stopped' : 'not watching'}
              {filter ? ` · ${visible.length} match the filter` : ''}
            </span>
          </header>
          <table className="data-table messages-table" data-testid="messages-table">
            <thead>
              <tr>
                <th>Time</th>
                <th>Channel</th>
                <th>Type</th>
                <th>Publisher</th>
                <th className="num">Bytes</th>
                <th>How</th>
              </tr>
            </thead>
            <tbody>
              {visible.map((m) => (
                <tr
                  key={m.seq}
                  className={`${m.seq === selected ? 'selected' : ''}${m.error ? ' warn' : ''}`}
                  onClick={() => setSelected(m.seq)}
                  data-testid="message-row"
                >
                  <td className="mono">{new Date(m.header?.time ?? m.receivedAt).toLocaleTimeString()}</td>
                  <td className="mono">{m.channel}</td>
                  <td className="mono">{m.header?.type ?? '—'}</td>
                  <td className="mono">{m.header?.publisher ?? '—'}</td>
                  <td className="num mono">{m.size}</td>
                  <td>
                    {m.error ? (
                      <span className="badge warn" title={m.error.message}>
                        {m.error.code}
                      </span>
                    ) : (
                      flagsOf(m)
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {visible.length === 0 && <p className="muted">{jobId ? 'Nothing yet.' : 'Choose a channel or a pattern and press Watch.'}</p>}
        </section>
        <section className="panel" aria-label="Envelope">
          <header className="panel-head">
            <h3>Envelope</h3>
            {inspected && (
              <span className="muted">
                #{inspected.seq} · {inspected.size} bytes
              </span>
            )}
          </header>
          {inspected ? (
            <div data-testid="message-inspect">
              <dl className="kv">
                <dt>Id</dt>
                <dd className="mono">{inspected.header?.id ?? '—'}</dd>
                <dt>Sent</dt>
                <dd>{inspected.header ? new Date(inspected.header.time).toLocaleString() : '—'}</dd>
                <dt>Publisher</dt>
                <dd className="mono">{inspected.header?.publisher ?? '—'}</dd>
                <dt>Type</dt>
                <dd className="mono">{inspected.header?.type ?? '—'}</dd>
                <dt>Channel</dt>
                <dd className="mono">{inspected.channel}</dd>
                <dt>Travelled</dt>
                <dd>{flagsOf(inspected) || 'plain'}</dd>
                {inspected.header?.correlationId && (
                  <>
                    <dt>Answers</dt>
                    <dd className="mono">{inspected.header.correlationId}</dd>
                  </>
                )}
              </dl>
              {inspected.error ? (
                <p className="notice notice-error" role="alert">
                  {inspected.error.code}: {inspected.error.message}
                </p>
              ) : (
                <pre className="mono state-value">{inspected.payload}</pre>
              )}
            </div>
          ) : (
            <p className="muted">Pick a message to open its envelope.</p>
          )}
        </section>
      </div>
      <section className="panel" aria-label="Publish">
        <header className="panel-head">
          <h3>Publish</h3>
          <span className="muted">JSON is sent as JSON, anything else as text</span>
        </header>
        <form
          className="messages-publish"
          onSubmit={(e) => {
            e.preventDefault();
            publish.ask({
              payload: draft,
              title: `Publish ${draft.type} to ${draft.channel}?`,
              body: 'Every subscriber of the channel acts on it at once.',
              confirmLabel: 'Publish',
              ...confirmationOf(decision),
            });
          }}
        >
          <input
            aria-label="Publish channel"
            className="mono"
            value={draft.channel}
            onChange={(e) => setDraft({ ...draft, channel: e.target.value })}
          />
          <input
            aria-label="Message type"
            className="mono"
            value={draft.type}
            onChange={(e) => setDraft({ ...draft, type: e.target.value })}
          />
          <textarea
            aria-label="Payload"
            className="mono"
            rows={3}
            value={draft.payload}
            onChange={(e) => setDraft({ ...draft, payload: e.target.value })}
          />
          <button type="submit" className="btn" disabled={publish.busy || !decision.allowed} {...refusedProps(decision)}>
            Publish
          </button>
        </form>
      </section>
      {publish.dialog}
    </div>
  );
}
