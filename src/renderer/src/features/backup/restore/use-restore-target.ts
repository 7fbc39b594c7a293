import { useEffect, useState } from 'react';
import type { BackupDetail, PreflightReport } from '../../../../../shared/model/backup';
import { errorText } from '../../../components/notice';
import { transport } from '../../../transport';

/** The backup restored from, and the profile restored into. */
export interface RestoreSource {
  profileId: string;
  backupProfileId: string;
  backupId: string;
}

export interface Preflight {
  report?: PreflightReport;
  error?: string;
}

/**
 * The chosen backup's manifest and the target's preflight: both belong to one backup, so choosing
 * another asks again, and an answer about a previous choice is never shown.
 */
export function useRestoreTarget(source: RestoreSource | undefined): { detail?: BackupDetail; preflight: Preflight } {
  // Each answer names the backup it is about, so a late one for a previous choice is never shown.
  const [detailOf, setDetail] = useState<BackupDetail | undefined>();
  const [preflightOf, setPreflight] = useState<(Preflight & { backupId: string }) | undefined>();
  useEffect(() => {
    if (!source) return undefined;
    const { backupId } = source;
    void transport.call('backup.preflight', source).then(
      (report) => setPreflight({ backupId, report }),
      (e: unknown) => setPreflight({ backupId, error: errorText(e) }),
    );
    void transport.call('backup.show', { profileId: source.backupProfileId, backupId }).then(setDetail, () => undefined);
    return undefined;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the source is identified by its ids
  }, [source?.backupProfileId, source?.backupId, source?.profileId]);
  const backupId = source?.backupId;
  const detail = detailOf?.summary.id === backupId ? detailOf : undefined;
  const preflight: Preflight = preflightOf?.backupId === backupId && preflightOf ? preflightOf : {};
  return { ...(detail ? { detail } : {}), preflight };
}
