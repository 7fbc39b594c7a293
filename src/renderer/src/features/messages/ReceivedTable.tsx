import type { ViewerMessage } from '../../../../shared/contract/messaging';
import { useMessages } from './messages-store';
import { flagsOf } from './viewer-model';

interface Props {
  /** What matches the filter, newest first. */
  visible: ViewerMessage[];
  filter: string;
  running: boolean;
}

/** What the watch received, newest first; a click opens the envelope. */
export function ReceivedTable({ visible, filter, running }: Props) {
  const count = useMessages((s) => s.messages.length);
  const jobId = useMessages((s) => s.jobId);
  const paused = useMessages((s) => s.paused);
  const selected = useMessages((s) => s.selected);
  return (
    <section className="panel" aria-label="Messages received">
      <header className="panel-head">
        <h3>
          Received <span className="count">{count}</span>
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
              onClick={() => useMessages.getState().select(m.seq)}
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
  );
}
