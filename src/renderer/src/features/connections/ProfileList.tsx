import { useMemo, useRef } from 'react';
import type { ProfileView } from '../../../../shared/model/profile';
import { NoticeBar, type Notice } from '../../components/notice';
import { ProfileCard } from './ProfileCard';
import { emptyForm, type ProfileForm } from './profile-form-model';
import { useProfiles } from './profiles-store';

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

interface Props {
  notice: Notice | undefined;
  setNotice(notice: Notice | undefined): void;
  report(error: unknown): void;
  onNew(form: ProfileForm): void;
  onConnect(profile: ProfileView): void;
  onEdit(profile: ProfileView): void;
  onDelete(profile: ProfileView): void;
}

/** The profiles by environment, production first, with import and export. */
export function ProfileList({ notice, setNotice, report, onNew, ...card }: Props) {
  const profiles = useProfiles((s) => s.profiles);
  const loaded = useProfiles((s) => s.loaded);
  const importJson = useProfiles((s) => s.importJson);
  const exportJson = useProfiles((s) => s.exportJson);
  const secretsWarning = useProfiles((s) => s.info?.secrets.warning);
  const fileInput = useRef<HTMLInputElement>(null);
  const grouped = useMemo(
    () => (['production', 'staging', 'development'] as const).map((env) => ({ env, items: profiles.filter((p) => p.environment === env) })),
    [profiles],
  );

  const onImport = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    try {
      const imported = await importJson(await file.text());
      setNotice({
        kind: 'ok',
        text: `Imported ${imported.length} profile${imported.length === 1 ? '' : 's'}. Passwords are not part of exports: set them on each profile.`,
      });
    } catch (error) {
      report(error);
    }
  };

  return (
    <aside className="profile-list" aria-label="Profiles">
      <div className="list-toolbar">
        <button type="button" className="btn btn-primary" onClick={() => onNew(emptyForm())}>
          + New profile
        </button>
        <button type="button" className="btn" onClick={() => fileInput.current?.click()}>
          Import
        </button>
        <button
          type="button"
          className="btn"
          disabled={profiles.length === 0}
          onClick={() => void exportJson().then((json) => download('swarmdeck-profiles.json', json), report)}
        >
          Export
        </button>
        <input ref={fileInput} type="file" accept="application/json" hidden onChange={(e) => void onImport(e.target.files?.[0])} />
      </div>
      <NoticeBar notice={notice} />
      {secretsWarning && (
        <div className="notice notice-error" data-testid="secrets-warning">
          {secretsWarning}
        </div>
      )}
      {grouped.map(({ env, items }) =>
        items.length === 0 ? null : (
          <section key={env} className="profile-group">
            <h5>{env}</h5>
            {items.map((p) => (
              <ProfileCard key={p.id} profile={p} report={report} {...card} />
            ))}
          </section>
        ),
      )}
      {loaded && profiles.length === 0 && <p className="muted empty-list">No profiles yet.</p>}
    </aside>
  );
}
