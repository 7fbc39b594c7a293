import { join } from 'node:path';
import { z } from 'zod';
import type { ConsoleHistoryEntry } from '../../../shared/model/console';
import { homeLock } from '../../home';
import { JsonFile } from '../../json-file';

/** Pending lines are written together at most this often: one file rewrite per burst, not per command. */
const FLUSH_AFTER_MS = 500;
/** Lines kept per profile; the oldest go first. */
export const HISTORY_LIMIT = 1000;

const EntrySchema = z.object({ at: z.number(), line: z.string(), ok: z.boolean(), node: z.string().optional() });
const HistoryDocSchema = z.looseObject({ version: z.literal(1), entries: z.array(EntrySchema) });
type HistoryDoc = z.infer<typeof HistoryDocSchema>;

/**
 * The console history of every profile, one file each in the home. Lines are written behind
 * the command, batched over half a second, so a command's round trip does not wait for an fsync; `flush()`
 * writes what is pending and the services await it when they stop.
 */
export class ConsoleHistory {
  private readonly files = new Map<string, JsonFile<HistoryDoc>>();
  private readonly pending = new Map<string, ConsoleHistoryEntry[]>();
  private writing: Promise<void> = Promise.resolve();
  private scheduled = false;

  constructor(private readonly home: string) {}

  private file(profileId: string): JsonFile<HistoryDoc> {
    let file = this.files.get(profileId);
    if (!file) {
      // The profile id is validated by the contract (a-z, 0-9, -), so it is safe as a file name.
      file = new JsonFile(
        join(this.home, 'console-history', `${profileId}.json`),
        HistoryDocSchema,
        () => ({ version: 1, entries: [] }),
        homeLock(this.home),
      );
      this.files.set(profileId, file);
    }
    return file;
  }

  add(profileId: string, entry: ConsoleHistoryEntry): void {
    const list = this.pending.get(profileId) ?? [];
    list.push(entry);
    this.pending.set(profileId, list);
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      void this.flush().catch(() => undefined);
    }, FLUSH_AFTER_MS).unref();
  }

  /** Writes every pending line; resolves once they are on disk. */
  flush(): Promise<void> {
    const batch = [...this.pending];
    this.pending.clear();
    this.writing = this.writing.then(async () => {
      for (const [profileId, entries] of batch) {
        await this.file(profileId).update((doc) => {
          doc.entries.push(...entries);
          if (doc.entries.length > HISTORY_LIMIT) doc.entries.splice(0, doc.entries.length - HISTORY_LIMIT);
        });
      }
    });
    return this.writing;
  }

  /** Newest first; `search` keeps lines that contain it (case-insensitive). */
  async list(profileId: string, search: string | undefined, limit: number): Promise<ConsoleHistoryEntry[]> {
    await this.flush();
    const doc = await this.file(profileId).read();
    const needle = search?.toLowerCase();
    const out: ConsoleHistoryEntry[] = [];
    for (let i = doc.entries.length - 1; i >= 0 && out.length < limit; i--) {
      const e = doc.entries[i] as ConsoleHistoryEntry;
      if (needle === undefined || e.line.toLowerCase().includes(needle)) out.push(e);
    }
    return out;
  }
}
