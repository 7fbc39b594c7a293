/**
 * A restore's write pass: batch by batch, per node, a bounded number of batches in flight; each
 * batch journaled before it is written and written only where the target still holds what the
 * journal says (the order is explained at the top of restore-journal.ts).
 */
import { SwarmdeckError } from '../../../shared/errors';
import { payloadDigest } from './compare';
import { writeIfUnchanged, type GuardedWrite } from './guarded-write';
import type { HeldValue, JournalEntry, RestoreJournal } from './restore-journal';
import type { RestoreLock } from './restore-lock';
import { ident, type Item, type RestorePlanOptions } from './restore-plan';
import { Router, existing, readTarget } from './restore-target';

/** How many batches are written at once: enough to keep every master busy, few enough to stop promptly. */
const IN_FLIGHT = 4;
/** How often one batch is journaled again because writers keep changing its keys, before the restore gives up. */
const MAX_ATTEMPTS = 50;

export interface WritePassOptions extends RestorePlanOptions {
  signal?: AbortSignal;
  onProgress?: (progress: WriteProgress) => void;
}

export interface WriteProgress {
  total: { keys: number; bytes: number; planned: number; keysPerSec: number; etaMs: number | null };
  nodes: Record<string, { keys: number; bytes: number }>;
}

/** One item as a journal entry and its guarded write, both from what the target held just before. */
function planned(it: Item, old: HeldValue | null): { entry: JournalEntry; write: GuardedWrite; item: Item } {
  const put = { payload: it.record.payload, ttl: it.ttl, abs: it.abs };
  return {
    item: it,
    entry: { key: it.key, old, next: { digest: payloadDigest(it.record.payload), ttl: it.ttl, abs: it.abs } },
    write: { key: it.key, expect: old, put },
  };
}

type Planned = ReturnType<typeof planned>;

export class WritePass {
  private readonly router: Router;
  /** Keys the policy left to the target because they exist: verification must leave them out. */
  readonly refused = new Set<string>();
  writtenCount = 0;
  skippedExisting = 0;
  private readonly nodes: WriteProgress['nodes'] = {};
  private doneBytes = 0;
  private readonly started = Date.now();

  constructor(
    private readonly o: WritePassOptions,
    private readonly journal: RestoreJournal,
    private readonly lock: RestoreLock,
    private readonly exact: boolean,
    private readonly plannedCount: number,
  ) {
    this.router = new Router(o.target);
  }

  /** Writes every chunk until done, cancelled or failed; the first failure is returned, not thrown. */
  async run(source: AsyncIterable<Item[]>): Promise<Error | undefined> {
    const inFlight = new Set<Promise<void>>();
    let failure: Error | undefined;
    try {
      for await (const chunk of source) {
        if (this.o.signal?.aborted || failure) break;
        while (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
        if (failure) break;
        const job: Promise<void> = this.writeChunk(chunk).then(
          () => void inFlight.delete(job),
          (e: Error) => {
            inFlight.delete(job);
            failure ??= e;
          },
        );
        inFlight.add(job);
      }
    } catch (error) {
      failure ??= error as Error;
    }
    await Promise.all(inFlight);
    return failure;
  }

  /** What the target holds under the chunk's keys now: values under replace, only existence under skip and fail. */
  private async before(chunk: Item[]): Promise<Planned[]> {
    if (this.o.conflict === 'replace') {
      const state = await readTarget(this.router, chunk, this.exact);
      return chunk.map((it) => {
        const cur = state.get(ident(it.key));
        return planned(it, cur?.payload ? { payload: cur.payload, expireAt: cur.expireAt } : null);
      });
    }
    const present = await existing(this.router, chunk);
    const out: Planned[] = [];
    for (const it of chunk)
      if (present.has(ident(it.key))) this.skip(it);
      else out.push(planned(it, null));
    return out;
  }

  private skip(it: Item): void {
    this.skippedExisting += 1;
    this.refused.add(ident(it.key));
  }

  private async writeChunk(chunk: Item[]): Promise<void> {
    this.lock.check();
    let todo = await this.before(chunk);
    for (let attempt = 1; todo.length > 0; attempt += 1) {
      if (attempt > MAX_ATTEMPTS)
        throw new SwarmdeckError(
          'CONFLICT',
          `${todo.length} keys changed under the restore ${MAX_ATTEMPTS} times in a row; it stopped there`,
          {
            reason: 'keys-keep-changing',
          },
        );
      // The journal's word on each key is on disk before the key may be replaced.
      await this.journal.intend(todo.map((t) => t.entry));
      const byKey = new Map(todo.map((t) => [t.write, t]));
      const { done, changed } = await writeIfUnchanged(
        this.router,
        todo.map((t) => t.write),
        this.exact,
      );
      const written = done.map((w) => byKey.get(w) as Planned);
      await this.journal.written(written.map((t) => t.item.key));
      for (const t of written) this.account(t.item);
      todo = [];
      for (const { write, now } of changed) {
        const t = byKey.get(write) as Planned;
        // Under skip and fail a key a writer created meanwhile is theirs.
        if (this.o.conflict !== 'replace' && now !== null) this.skip(t.item);
        else todo.push(planned(t.item, now));
      }
    }
    this.progress();
  }

  private account(it: Item): void {
    this.writtenCount += 1;
    const address = [...this.router.group([it]).keys()][0] as string;
    const n = (this.nodes[address] ??= { keys: 0, bytes: 0 });
    n.keys += 1;
    n.bytes += it.record.payload.length;
    this.doneBytes += it.record.payload.length;
  }

  private progress(): void {
    const secs = Math.max(0.001, (Date.now() - this.started) / 1000);
    const rate = this.writtenCount / secs;
    this.o.onProgress?.({
      total: {
        keys: this.writtenCount,
        bytes: this.doneBytes,
        planned: this.plannedCount,
        keysPerSec: Math.round(rate),
        etaMs: rate > 0 ? Math.round(((this.plannedCount - this.writtenCount) / rate) * 1000) : null,
      },
      nodes: structuredClone(this.nodes),
    });
  }
}
