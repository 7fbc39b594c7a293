import { usePoll } from '../../components/use-poll';
import { useSwarms } from './swarms-store';

/** The swarm list, while no swarm is open. */
export function useSwarmListPoll(profileId: string, enabled: boolean, onResult: (error: string | undefined) => void): void {
  usePoll(() => void useSwarms.getState().loadList(profileId).then(() => onResult(undefined), (e: Error) => onResult(e.message)), 2000, [profileId], enabled);
}

/**
 * The open swarm: its detail, the messages that light up edges, and new events. Big swarms
 * are read less often, since one read of a thousand agents is itself work for Redis.
 */
export function useSwarmDetailPoll(profileId: string, swarmKey: string, big: boolean, onError: (error: string) => void): void {
  const s = useSwarms.getState();
  usePoll(() => void s.loadDetail(profileId).catch((e: Error) => onError(e.message)), big ? 2500 : 1500, [profileId, swarmKey]);
  usePoll(() => void s.pollMessages(profileId).catch(() => undefined), 1000, [profileId, swarmKey]);
  usePoll(() => void s.tailTimeline(profileId).catch(() => undefined), 2000, [profileId, swarmKey]);
}
