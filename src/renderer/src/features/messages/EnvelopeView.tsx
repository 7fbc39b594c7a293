import type { ViewerMessage } from '../../../../shared/contract/messaging';
import { flagsOf } from './viewer-model';

/** One message opened: its header, how it travelled, and its payload (or why it could not be read). */
export function EnvelopeView({ message }: { message: ViewerMessage | undefined }) {
  return (
    <section className="panel" aria-label="Envelope">
      <header className="panel-head">
        <h3>Envelope</h3>
        {message && (
          <span className="muted">
            #{message.seq} · {message.size} bytes
          </span>
        )}
      </header>
      {message ? <Envelope message={message} /> : <p className="muted">Pick a message to open its envelope.</p>}
    </section>
  );
}

function Envelope({ message: m }: { message: ViewerMessage }) {
  return (
    <div data-testid="message-inspect">
      <dl className="kv">
        <dt>Id</dt>
        <dd className="mono">{m.header?.id ?? '—'}</dd>
        <dt>Sent</dt>
        <dd>{m.header ? new Date(m.header.time).toLocaleString() : '—'}</dd>
        <dt>Publisher</dt>
        <dd className="mono">{m.header?.publisher ?? '—'}</dd>
        <dt>Type</dt>
        <dd className="mono">{m.header?.type ?? '—'}</dd>
        <dt>Channel</dt>
        <dd className="mono">{m.channel}</dd>
        <dt>Travelled</dt>
        <dd>{flagsOf(m) || 'plain'}</dd>
        {m.header?.correlationId && (
          <>
            <dt>Answers</dt>
            <dd className="mono">{m.header.correlationId}</dd>
          </>
        )}
      </dl>
      {m.error ? (
        <p className="notice notice-error" role="alert">
          {m.error.code}: {m.error.message}
        </p>
      ) : (
        <pre className="mono state-value">{m.payload}</pre>
      )}
    </div>
  );
}
