import type { LockView } from '../../../shared/contract/locks';
import type { Session } from '../../redis/connection-manager';
import { FencedLocks, type AcquireOptions } from './fenced-locks';
import type { FencedLock } from './fenced-lock';

/** What the console does with locks: the view, an operator's force-release, and `lock exec`'s hold. */
export class LockService {
  list(session: Session, includeFree: boolean): Promise<LockView[]> {
    return locksOf(session).list(includeFree);
  }

  forceRelease(session: Session, resource: string, fence?: number): Promise<{ fence: number; owner: string }> {
    return locksOf(session).forceRelease(resource, fence);
  }

  acquire(session: Session, resource: string, options: AcquireOptions): Promise<FencedLock | undefined> {
    return locksOf(session).acquire(resource, options);
  }
}

const locksOf = (session: Session): FencedLocks => new FencedLocks(session.client, session.profile.keyPrefix);
