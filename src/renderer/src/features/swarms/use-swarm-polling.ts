import { usePoll } from '../../components/use-poll';
import { useSwarms } from './swarms-store';

/** The swarm list, while no swarm is open. */
export function useSwarmListPoll(profileId: string, enabled: boolean, onResult: (error: string | undefined) => void): void {
  usePoll(
    () =>
      void useSwarms
        .getState()
        .loadList(profileId)
        .then(
          () => onResult(undefined),
          (e: Error) => onResult(e.message),
        ),
    2000,
    [profileId],
    enabled,
  );
}
