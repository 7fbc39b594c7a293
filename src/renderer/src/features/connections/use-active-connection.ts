import type { ConnectionStatus } from '../../../../shared/model/health';
import type { ProfileView } from '../../../../shared/model/profile';
import type { LiveConnection } from '../../app/page';
import { isLive, useConnections } from './connections-store';
import { useProfiles } from './profiles-store';

interface ActiveConnection {
  profile?: ProfileView;
  status?: ConnectionStatus;
  /** Set only while the active profile's connection is up (or coming back). */
  live?: LiveConnection;
}

/** The connection the pages are about, and whether it is live. */
export function useActiveConnection(): ActiveConnection {
  const activeId = useConnections((s) => s.activeId);
  const status = useConnections((s) => (s.activeId ? s.statuses[s.activeId] : undefined));
  const profile = useProfiles((s) => s.profiles.find((p) => p.id === activeId));
  return { profile, status, live: profile && isLive(status) ? { profileId: profile.id, profile } : undefined };
}
