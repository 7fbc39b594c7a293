import type { MemoryPage } from '../../../shared/contract/memory';
import type { MemoryConflict, MemoryEntry, MemorySpace, MemorySpaceSummary } from '../../../shared/model/memory';
import type { Session } from '../../redis/connection-manager';
import { AgentMemory, type PutOptions, type SearchOptions } from './agent-memory';

/** What the console does with agent memory: the spaces and entries, an operator's edits, and conflicts resolved. */
export class MemoryService {
  spaces(session: Session): Promise<MemorySpaceSummary[]> {
    return memoryOf(session).spaces();
  }

  get(session: Session, space: MemorySpace, key: string): Promise<MemoryEntry | undefined> {
    return memoryOf(session).get(space, key);
  }

  set(session: Session, space: MemorySpace, key: string, value: string, options: PutOptions): Promise<{ version: number }> {
    return memoryOf(session).set(space, key, value, options);
  }

  delete(session: Session, space: MemorySpace, key: string, expectVersion?: number): Promise<{ deleted: boolean }> {
    return memoryOf(session).delete(space, key, expectVersion);
  }

  search(session: Session, space: MemorySpace, options: SearchOptions): Promise<MemoryPage> {
    return memoryOf(session).search(space, options);
  }

  conflicts(session: Session, space: MemorySpace): Promise<MemoryConflict[]> {
    return memoryOf(session).conflicts(space);
  }

  /** Resolved in the operator's name, as the entry's writer. */
  resolve(
    session: Session,
    space: MemorySpace,
    key: string,
    choice: 'local' | 'remote' | 'value',
    value: string | undefined,
  ): Promise<{ version: number }> {
    return memoryOf(session).resolve(space, key, choice, value, `operator.${session.actor.user}`.slice(0, 64));
  }
}

const memoryOf = (session: Session): AgentMemory => new AgentMemory(session.client, session.profile.keyPrefix);
