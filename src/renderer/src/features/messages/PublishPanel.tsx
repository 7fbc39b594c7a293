import { useState } from 'react';
import { declaredGuard } from '../../../../shared/declared-guard';
import { confirmationOf } from '../../components/declared-action';
import { refusedProps } from '../../components/guard-button';
import { useConfirmedAction } from '../../components/use-confirmed-action';
import type { LiveConnection } from '../../app/page';
import { useMessages, type PublishDraft } from './messages-store';

/** One message published by the operator, confirmed because every subscriber acts on it. */
export function PublishPanel({ connection: { profileId, profile } }: { connection: LiveConnection }) {
  const [draft, setDraft] = useState<PublishDraft>({
    channel: 'agents.events',
    type: 'agent.hello',
    payload: '{\n  "agent": "console"\n}',
  });
  const decision = declaredGuard('messages.publish', { profileId, ...draft }, profile);
  const publish = useConfirmedAction<PublishDraft>({
    perform: async (d, confirm) => {
      const sent = await useMessages.getState().publish(d, confirm);
      return `Published ${d.type} to ${d.channel}: ${sent.receivers} subscriber(s) received it`;
    },
    report: useMessages.getState().report,
  });
  return (
    <>
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
    </>
  );
}
