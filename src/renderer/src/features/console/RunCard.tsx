import type { ConsoleCommandResult } from '../../../../shared/model/console';
import { formatMs } from '../../components/format';
import { useConsole, type ConsoleRun } from './console-store';
import { RepliesView } from './ReplyView';
import { replySize } from './reply-format';

const number = new Intl.NumberFormat('en');

function CommandResult({ run, result }: { run: ConsoleRun; result: ConsoleCommandResult }) {
  const view = useConsole((s) => s.view);
  const first = result.replies[0];
  const size = first && result.replies.length === 1 ? replySize(first.reply) : undefined;
  return (
    <div className="command-result" data-testid="command-result">
      <div className="command-meta">
        <code className="command-line">{result.line}</code>
        <span className={`class-tag class-${result.class}`}>{result.class}</span>
        {result.replies.length > 1 && <span className="chip">fan-out · {result.replies.length} nodes</span>}
        {result.replies.length === 1 && first?.node && <span className="chip mono">{first.node}</span>}
        {result.dedicated && (
          <span className="chip" title="Sent on a connection of its own, closed after, so the shared one never blocks">
            own connection
          </span>
        )}
        {result.audited && (
          <span className="chip chip-warn" title="Recorded in the audit stream">
            audited
          </span>
        )}
        {size && size.total > 1 && <span className="muted">{number.format(size.total)} items</span>}
        <span className="muted">{formatMs(result.durationMs)}</span>
      </div>
      {result.offer?.op === 'console.keys' && (
        <div className="offer" role="note">
          KEYS walks every key in one blocking call. Find them with a budgeted SCAN instead:
          <button
            type="button"
            className="btn btn-small"
            disabled={run.pending}
            onClick={() => void useConsole.getState().scanKeys(run.id, result.offer?.op === 'console.keys' ? result.offer.pattern : '*')}
          >
            Scan for {result.offer.pattern}
          </button>
        </div>
      )}
      {result.offer?.op === 'console.monitor' && (
        <div className="offer" role="note">
          MONITOR runs as a job with a rate meter and a stop:
          <button type="button" className="btn btn-small" onClick={() => useConsole.getState().setTab('profiler')}>
            Open the Profiler tab
          </button>
        </div>
      )}
      {result.truncated && (
        <div className="offer" role="note">
          {size ? `Showing ${number.format(size.shown)} of ${number.format(size.total)}.` : 'Some replies were cut at the console bound.'}
          {/* Loading all sends the line again: harmless for a read, a second effect for anything else (LPOP 1000). */}
          {result.class === 'read' ? (
            <button
              type="button"
              className="btn btn-small"
              disabled={run.pending}
              onClick={() => void useConsole.getState().loadAll(run.id)}
              data-testid="load-all"
            >
              Load all
            </button>
          ) : (
            <span className="muted">It changed data, so it is not sent again to load the rest; read it back with a read command.</span>
          )}
        </div>
      )}
      {!result.offer && <RepliesView replies={result.replies} view={view} />}
    </div>
  );
}

/** One press of Run: every command it sent with its answer, or main's refusal in the operator's words. */
export function RunCard({ run }: { run: ConsoleRun }) {
  return (
    <article className={`run-card${run.error ? ' run-failed' : ''}`} data-testid="run-card">
      {run.pending && !run.result && (
        <div className="muted">
          Running <code>{run.text}</code>…
        </div>
      )}
      {run.error && (
        <div className="run-error" role="alert">
          <code>{run.text}</code>
          <p>{run.error}</p>
        </div>
      )}
      {run.result?.results.map((r, i) => (
        <CommandResult key={i} run={run} result={r} />
      ))}
      {run.keys && (
        <div className="command-result">
          <div className="command-meta">
            <span className="chip">SCAN</span>
            <span className="muted">
              {number.format(run.keys.keys.length)} keys found · {number.format(run.keys.scanned)} looked at
              {run.keys.complete ? '' : ' · budget reached, not every key was seen'}
            </span>
          </div>
          <RepliesView
            replies={[
              {
                reply: {
                  type: 'array',
                  length: run.keys.keys.length,
                  items: run.keys.keys.map((k) => ({ type: 'string', value: k, bytes: k.length })),
                },
              },
            ]}
            view="table"
          />
        </div>
      )}
    </article>
  );
}
