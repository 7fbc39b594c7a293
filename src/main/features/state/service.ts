import type { StateEntry, StateKeySummary, StateVersion } from '../../../shared/contract/state';
import type { Session } from '../../redis/connection-manager';
import { VersionedState, type SetOptions } from './versioned-state';

/** What the console does with versioned state: reads for the page, and an operator's compare-and-set. */
export class StateService {
  get(session: Session, key: string): Promise<StateEntry | undefined> {
    return stateOf(session).get(key);
  }

  history(session: Session, key: string, count?: number): Promise<StateVersion[]> {
    return stateOf(session).history(key, count);
  }

  set(session: Session, key: string, value: string, options: SetOptions): Promise<{ version: number }> {
    return stateOf(session).set(key, value, options);
  }

  keys(
    session: Session,
    options: { namespace?: string; budget?: number },
  ): Promise<{ keys: StateKeySummary[]; complete: boolean; scanned: number }> {
    return stateOf(session).keys(options);
  }
}

const stateOf = (session: Session): VersionedState => new VersionedState(session.client, session.profile.keyPrefix);
