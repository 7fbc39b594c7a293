import type { OpInput } from '../../../../shared/contract';
import { MEMORY_MAX_VALUE_BYTES, MemoryKeySchema, MemoryNameSchema, MemoryTagSchema } from '../../../../shared/contract/memory';
import type { MemoryEntry, MemorySpace } from '../../../../shared/model/memory';

/** The entry form as typed: an agent's namespace (agent set) or a shared one (agent blank). */
export interface EntryDraft {
  agent: string;
  namespace: string;
  key: string;
  value: string;
  /** Comma- or space-separated. */
  tags: string;
  /** The version the operator started from: a write over a newer one is refused (CONFLICT), 0 for a new entry. */
  baseVersion: number;
}

/** Who the entry's version says wrote it: the operator, not the agent whose memory it is. */
export const OPERATOR_WRITER = 'operator';

export const blankDraft = (space: MemorySpace | undefined): EntryDraft => ({
  agent: space?.agent ?? '',
  namespace: space?.namespace ?? '',
  key: '',
  value: '',
  tags: '',
  baseVersion: 0,
});

export const draftOf = (entry: MemoryEntry): EntryDraft => ({
  agent: entry.agent ?? '',
  namespace: entry.namespace,
  key: entry.key,
  value: entry.value,
  tags: entry.tags.join(', '),
  baseVersion: entry.version,
});

const tagsOf = (text: string): string[] => [...new Set(text.split(/[\s,]+/).filter(Boolean))];

/** The memory.set input the draft describes, with the operator as its writer. Never sends `confirm`: the dialog adds it. */
export function entryInput(profileId: string, d: EntryDraft): OpInput<'memory.set'> {
  const agent = d.agent.trim();
  const tags = tagsOf(d.tags);
  return {
    profileId,
    ...(agent ? { agent } : {}),
    namespace: d.namespace.trim(),
    key: d.key.trim(),
    value: d.value,
    ...(tags.length ? { tags } : {}),
    expectVersion: d.baseVersion,
    by: OPERATOR_WRITER,
  };
}

/** Why the draft cannot be written yet, in the contract's own words; undefined when it can. */
export function draftProblem(d: EntryDraft): string | undefined {
  const agent = d.agent.trim();
  if (agent) {
    const a = MemoryNameSchema.safeParse(agent);
    if (!a.success) return `Agent: ${a.error.issues[0]?.message ?? 'malformed'}`;
  }
  const ns = MemoryNameSchema.safeParse(d.namespace.trim());
  if (!ns.success) return `Namespace: ${ns.error.issues[0]?.message ?? 'malformed'}`;
  const key = MemoryKeySchema.safeParse(d.key.trim());
  if (!key.success) return `Key: ${key.error.issues[0]?.message ?? 'malformed'}`;
  const tags = tagsOf(d.tags);
  if (tags.length > 32) return 'Tags: at most 32';
  const bad = tags.find((t) => !MemoryTagSchema.safeParse(t).success);
  if (bad !== undefined) return `Tag "${bad}": letters, digits, _ . -, at most 64`;
  if (new TextEncoder().encode(d.value).length > MEMORY_MAX_VALUE_BYTES) return 'Value: at most 1 MB';
  return undefined;
}
