import { useEffect } from 'react';
import { useSwarms } from './swarms-store';

/**
 * The open swarm, live: one watch in main backfills its detail and timeline and then pushes
 * detail changes, new events and messages (routed to the store by `live-events.ts`), so this
 * view sends nothing while it is open. `swarmKey` names the swarm; a new key is a new watch.
 */
export function useSwarmWatch(profileId: string, swarmKey: string, onError: (error: string) => void): void {
  useEffect(() => {
    if (!swarmKey) return undefined;
    let stop: (() => void) | undefined;
    let gone = false;
    useSwarms
      .getState()
      .watch(profileId)
      .then(
        (unwatch) => (gone ? unwatch() : (stop = unwatch)),
        (e: Error) => onError(e.message),
      );
    return () => {
      gone = true;
      stop?.();
    };
    // onError is a fresh closure each render; the watch follows the swarm and the connection only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [profileId, swarmKey]);
}
