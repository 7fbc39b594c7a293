import { useEffect, useState } from 'react';
import { declaredGuard } from '../../../../shared/declared-guard';
import { confirmationOf } from '../../components/declared-action';
import { NoticeBar } from '../../components/notice';
import { useConfirmedAction } from '../../components/use-confirmed-action';
import { usePoll } from '../../components/use-poll';
import type { LiveConnection } from '../../app/page';
import { StateKeys } from './StateKeys';
import { StateValue } from './StateValue';
import { stateInput, type StateDraft } from './state-form';
import { useSharedState } from './state-store';

/** Versioned state keys by namespace; one key's value with its kept versions and a diff between two. */
export function StatePage({ connection }: { connection: LiveConnection }) {
  const { profileId, profile } = connection;
  const selected = useSharedState((s) => s.selected);
  const notice = useSharedState((s) => s.notice);
  /** Which kept version the newest is compared with (1: the one before it). */
  const [against, setAgainst] = useState(1);
  const [draft, setDraft] = useState<StateDraft | undefined>();

  useEffect(() => useSharedState.getState().forProfile(profileId), [profileId]);
  usePoll(() => void useSharedState.getState().loadKeys(), 5000, [profileId]);
  usePoll(() => void useSharedState.getState().loadHistory(), 2000, [profileId, selected], selected !== undefined);

  const write = useConfirmedAction<StateDraft>({
    perform: async (d, confirm) => {
      const { key, version } = await useSharedState.getState().write(d, confirm);
      setDraft(undefined);
      setAgainst(1);
      return `${key} written as version ${version}`;
    },
    report: useSharedState.getState().report,
  });
  const decide = (d: StateDraft) => declaredGuard('state.set', stateInput(profileId, d), profile);
  const askWrite = (d: StateDraft): void =>
    write.ask({
      payload: d,
      title: `Write ${d.key.trim()}?`,
      body:
        d.baseVersion > 0
          ? `Version ${d.baseVersion + 1} replaces version ${d.baseVersion}: agents act on it at once, the history keeps the old one. If another writer got there first, nothing is written.`
          : `A new key: agents that read ${d.key.trim()} act on it at once.`,
      confirmLabel: 'Write',
      ...confirmationOf(decide(d)),
    });
  const pick = (key: string): void => {
    useSharedState.getState().select(key);
    setAgainst(1);
    setDraft(undefined);
  };

  return (
    <div className="page state-page">
      <header className="page-head">
        <div>
          <h2>State</h2>
          <div className="muted">Versioned shared state by namespace: a key's value, its kept versions and what changed.</div>
        </div>
      </header>
      <NoticeBar notice={notice} />
      <div className="two-col">
        <StateKeys
          // The opener says why it is refused before a form is opened: the same decision as its button's.
          newDecision={decide({ key: '', value: '', baseVersion: 0 })}
          busy={write.busy}
          onNew={() => setDraft({ key: '', value: '', baseVersion: 0 })}
          onPick={pick}
        />
        <StateValue
          draft={draft}
          onDraft={setDraft}
          decide={decide}
          busy={write.busy}
          onWrite={askWrite}
          against={against}
          onAgainst={setAgainst}
        />
      </div>
      {write.dialog}
    </div>
  );
}
