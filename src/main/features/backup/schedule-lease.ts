/**
 * Who runs the home's backup schedules. Every long-running host (the window, the web host) may
 * start schedules, and all of them read one schedules file, so without an owner two hosts on one
 * home would each arm every schedule and back up twice per tick. The first host to start holds
 * this lease (a file in the home); the others follow: they read who holds it and take it over
 * when its holder is gone — its process dead on this machine (file-lock's liveness check), or
 * its lease not renewed for `staleMs` (a reused pid, or a holder on another machine sharing the
 * folder). The holder also publishes the state of its runs here, so every host shows the same status.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { SwarmdeckError } from '../../../shared/errors';
import type { HostKind } from '../../actor';
import { isAlive } from '../../file-lock';
import { homeLock } from '../../home';
import { JsonFile } from '../../json-file';

const HolderSchema = z.object({
  pid: z.number().int(),
  host: z.string(),
  via: z.string(),
  /** When it took the lease (Unix ms). */
  since: z.number(),
  renewedAt: z.number(),
  token: z.string(),
});
export type LeaseHolder = z.infer<typeof HolderSchema>;

const RunStateSchema = z.object({
  lastRun: z.number().optional(),
  lastResult: z
    .object({ ok: z.boolean(), finishedAt: z.number(), error: z.object({ code: z.string(), message: z.string() }).optional() })
    .optional(),
  nextRun: z.number().optional(),
  missed: z.number().int(),
  running: z.boolean(),
});
/** One schedule's runs as its holder last published them. */
export type PublishedRun = z.infer<typeof RunStateSchema>;

// Loose, so fields written by a newer version survive a write by this one.
const LeaseDocSchema = z.looseObject({
  version: z.literal(1),
  holder: HolderSchema.nullable(),
  runs: z.record(z.string(), RunStateSchema),
});
export type LeaseDoc = z.infer<typeof LeaseDocSchema>;

export const LEASE_FILE = 'backup-schedules.lease.json';

/** A holder that is gone: its process died on this machine, or it stopped renewing. */
export function isGone(holder: LeaseHolder, staleMs: number, now = Date.now()): boolean {
  if (now - holder.renewedAt > staleMs) return true;
  // A pid means nothing on another machine sharing the folder; there only the renewals count.
  return holder.host === hostname() && !isAlive(holder.pid);
}

const emptyLease = (): LeaseDoc => ({ version: 1, holder: null, runs: {} });

export class ScheduleLease {
  private readonly file: JsonFile<LeaseDoc>;
  private readonly lock: ReturnType<typeof homeLock>;
  private readonly token = randomBytes(8).toString('hex');

  constructor(
    home: string,
    private readonly staleMs: number,
  ) {
    this.lock = homeLock(home);
    this.file = new JsonFile(join(home, LEASE_FILE), LeaseDocSchema, emptyLease, this.lock);
  }

  /**
   * The lease as it stands. The file is Swarmdeck's own bookkeeping, not the operator's: a
   * damaged one (garbage, a half edit) is started afresh rather than left to stop every schedule.
   */
  async read(): Promise<LeaseDoc> {
    try {
      return await this.file.read();
    } catch (error) {
      if (!(error instanceof SwarmdeckError) || error.code !== 'CORRUPT_FILE') throw error;
      return this.lock.run(async () => {
        const again = await this.file.read().catch(() => undefined);
        if (again) return again;
        console.warn(`[swarmdeck] ${error.message}: started afresh (it only says which host runs the schedules)`);
        const doc = emptyLease();
        await this.file.write(doc);
        return doc;
      });
    }
  }

  isMine(doc: LeaseDoc): boolean {
    return doc.holder?.token === this.token;
  }

  /**
   * Takes the lease for a host of kind `via` if it is free, gone or already ours, and answers
   * the document as it now stands. Read without the lock first: a follower looks every few seconds, and takes the
   * home's lock only when there is something to take.
   */
  async claim(via: HostKind): Promise<LeaseDoc> {
    const seen = await this.read();
    if (!this.takeable(seen)) return seen;
    return this.file.update((doc) => {
      if (!this.takeable(doc)) return doc;
      const now = Date.now();
      const since = this.isMine(doc) && doc.holder ? doc.holder.since : now;
      doc.holder = { pid: process.pid, host: hostname(), via, since, renewedAt: now, token: this.token };
      return doc;
    });
  }

  /** Renews the lease and publishes the runs; false when it is no longer ours (taken over), and then nothing is written. */
  renew(runs: Record<string, PublishedRun>): Promise<boolean> {
    return this.file.update((doc) => {
      if (!this.isMine(doc) || !doc.holder) return false;
      doc.holder.renewedAt = Date.now();
      doc.runs = runs;
      return true;
    });
  }

  /** Gives the lease up (the runs stay published), so a follower takes it at its next look. */
  release(runs: Record<string, PublishedRun>): Promise<void> {
    return this.file.update((doc) => {
      if (!this.isMine(doc)) return;
      doc.holder = null;
      doc.runs = runs;
    });
  }

  private takeable(doc: LeaseDoc): boolean {
    return doc.holder === null || this.isMine(doc) || isGone(doc.holder, this.staleMs);
  }
}
