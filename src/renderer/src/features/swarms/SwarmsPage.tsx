import { useEffect, useState } from 'react';
import type { LiveConnection } from '../../app/page';
import { SwarmDetailView } from './SwarmDetailView';
import { SwarmList } from './SwarmList';
import { useSwarms } from './swarms-store';
import { useSwarmListPoll } from './use-swarm-polling';

/** Every swarm on the connection — Swarmdeck's own and, read-only, a claude-flow-novice registry's. */
export function SwarmsPage({ connection }: { connection: LiveConnection }) {
  const { profileId, profile } = connection;
  const selected = useSwarms((s) => s.selected);
  const [error, setError] = useState<string | undefined>();

  // Another connection has other swarms: start from its list.
  useEffect(() => {
    useSwarms.getState().forProfile(profileId);
  }, [profileId]);
  useSwarmListPoll(profileId, !selected, setError);

  return selected ? <SwarmDetailView profile={profile} /> : <SwarmList error={error} />;
}
