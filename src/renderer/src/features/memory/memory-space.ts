import type { MemorySpace } from '../../../../shared/model/memory';

/** How a space is named on screen and in test ids: `agent/namespace`, `shared/namespace` for shared memory. */
export const spaceName = (s: MemorySpace): string => `${s.agent ?? 'shared'}/${s.namespace}`;

/** Just the space of an entry, conflict or summary: what the memory operations take beside the key. */
export const spaceOf = (s: MemorySpace): MemorySpace =>
  s.agent === undefined ? { namespace: s.namespace } : { agent: s.agent, namespace: s.namespace };

/** A value as the operator reads it: indented when it is JSON, as stored when not. */
export const pretty = (json: string): string => {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
};
