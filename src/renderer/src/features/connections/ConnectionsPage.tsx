import { useRef, useState } from 'react';
import type { ProfileView } from '../../../../shared/model/profile';
import { errorText, type Notice } from '../../components/notice';
import { declaredGuard } from '../../../../shared/declared-guard';
import { useConfirmedAction } from '../../components/use-confirmed-action';
import { useConnections } from './connections-store';
import { ProfileEditor } from './editor/ProfileEditor';
import { formFromProfile, type ProfileForm } from './profile-form-model';
import { ProfileList } from './ProfileList';
import { useProfiles } from './profiles-store';
import { Welcome } from './Welcome';

type Editing = { mode: 'none' } | { mode: 'form'; form: ProfileForm; key: number };

export function ConnectionsPage() {
  const profiles = useProfiles((s) => s.profiles);
  const loaded = useProfiles((s) => s.loaded);
  const remove = useProfiles((s) => s.remove);
  const connect = useConnections((s) => s.connect);
  const [editing, setEditing] = useState<Editing>({ mode: 'none' });
  const [notice, setNotice] = useState<Notice | undefined>();
  const edits = useRef(0);
  const edit = (form: ProfileForm): void => setEditing({ mode: 'form', form, key: (edits.current += 1) });
  const report = (error: unknown): void => setNotice({ kind: 'error', text: errorText(error) });

  const removal = useConfirmedAction<ProfileView>({
    typedName: (p) => declaredGuard('profiles.remove', { id: p.id }, p).confirm?.expected,
    perform: async (p, confirm) => {
      await remove(p.id, confirm);
      return undefined;
    },
    report: setNotice,
  });

  const onConnect = async (p: ProfileView): Promise<void> => {
    setNotice(undefined);
    try {
      // Stay here: the operator may connect several profiles; the card offers "Overview".
      await connect(p.id);
    } catch (error) {
      report(error);
    }
  };

  return (
    <div className="page connections-page">
      <ProfileList
        notice={notice}
        setNotice={setNotice}
        report={report}
        onNew={edit}
        onConnect={(p) => void onConnect(p)}
        onEdit={(p) => edit(formFromProfile(p))}
        onDelete={(p) =>
          removal.ask({
            payload: p,
            title: `Delete profile "${p.name}"?`,
            body: 'The profile and its stored password are removed from this machine. Nothing in Redis changes.',
            confirmLabel: 'Delete profile',
            danger: true,
          })
        }
      />
      <main className="profile-detail">
        {editing.mode === 'form' ? (
          <ProfileEditor
            key={editing.key}
            initial={editing.form}
            onCancel={() => setEditing({ mode: 'none' })}
            onSaved={(id) => {
              setEditing({ mode: 'none' });
              setNotice({ kind: 'ok', text: `Saved profile "${profiles.find((p) => p.id === id)?.name ?? id}".` });
            }}
          />
        ) : profiles.length === 0 && loaded ? (
          <Welcome onNew={edit} />
        ) : (
          <div className="detail-hint">
            <h3>Connection profiles</h3>
            <p>
              Pick a profile to connect, or create one per environment. Passwords stay in the main process (OS keychain in the desktop app);
              exports never contain them.
            </p>
          </div>
        )}
      </main>
      {removal.dialog}
    </div>
  );
}
