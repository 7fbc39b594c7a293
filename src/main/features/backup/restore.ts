import { SwarmdeckError } from '../../../shared/errors';
import { samePayloadContent } from './compare';
import { openBackup, type OpenBackup } from './reader';
import { WrittenKeysLog, writtenLogPath } from './restore-journal';
import { ident, items, validate, type Item, type RestorePlanOptions } from './restore-plan';
import { Router, checkTarget, readTarget, type TargetState } from './restore-target';
import { takeSafetySnapshot } from './safety-snapshot';

export interface RestoreOptions extends RestorePlanOptions {
  signal?: AbortSignal;
  onProgress?: (progress: RestoreProgress) => void;
  /** Compare every written key with the backup afterwards (default true). */
  verify?: boolean;
}

export interface RestoreProgress {
  total: { keys: number; bytes: number; planned: number; keysPerSec: number; etaMs: number | null };
  nodes: Record<string, { keys: number; bytes: number }>;
}

export interface RestoreReport {
  status: 'completed' | 'cancelled' | 'failed';
  error?: { code: string; message: string };
  /** How many keys this run wrote. */
  writtenCount: number;
  /**
   * File naming exactly the keys this run wrote (target names, in write order; read it with
   * `readWrittenLog`). On disk rather than in the report, so a million-key restore stays small.
   */
  writtenLog: string;
  skippedExisting: number;
  skippedExpired: number;
  snapshotId: string | null;
  verification: { checked: number; mismatched: Buffer[] } | null;
  durationMs: number;
}

/** How many batches are written at once: enough to keep every master busy, few enough to stop promptly. */
const IN_FLIGHT = 4;

/** The write pass: batch by batch, per node, a bounded number of batches in flight, every written key logged. */
class WritePass {
  private readonly router: Router;
  /** Keys the target refused as existing: few in practice, and all verification must leave out. */
  readonly refused = new Set<string>();
  private readonly nodes: RestoreProgress['nodes'] = {};
  private doneKeys = 0;
  private doneBytes = 0;
  private readonly started = Date.now();

  constructor(
    private readonly o: RestoreOptions,
    private readonly log: WrittenKeysLog,
    private readonly report: RestoreReport,
    private readonly planned: number,
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

  private async writeChunk(chunk: Item[]): Promise<void> {
    await Promise.all([...this.router.group(chunk)].map(([address, group]) => this.writeGroup(address, group)));
    await this.log.drained();
    this.progress();
  }

  private async writeGroup(address: string, group: Item[]): Promise<void> {
    const p = this.router.node(address).pipeline();
    for (const it of group) {
      const args: (string | number | Buffer)[] = [it.key, it.ttl, it.record.payload];
      if (this.o.conflict === 'replace') args.push('REPLACE');
      if (it.abs) args.push('ABSTTL');
      p.call('RESTORE', ...args);
    }
    const replies = (await p.exec()) ?? [];
    let firstError: Error | null = null;
    group.forEach((it, i) => {
      const err = replies[i]?.[0] ?? null;
      if (err === null) this.written(address, it);
      else if (/^BUSYKEY/.test(err.message) && this.o.conflict !== 'replace') {
        this.report.skippedExisting += 1;
        this.refused.add(ident(it.key));
      } else firstError ??= err;
    });
    if (firstError) throw firstError;
  }

  private written(address: string, it: Item): void {
    this.log.add(it.key);
    this.report.writtenCount += 1;
    const n = (this.nodes[address] ??= { keys: 0, bytes: 0 });
    n.keys += 1;
    n.bytes += it.record.payload.length;
    this.doneKeys += 1;
    this.doneBytes += it.record.payload.length;
  }

  private progress(): void {
    const secs = Math.max(0.001, (Date.now() - this.started) / 1000);
    const rate = this.doneKeys / secs;
    this.o.onProgress?.({
      total: {
        keys: this.doneKeys,
        bytes: this.doneBytes,
        planned: this.planned,
        keysPerSec: Math.round(rate),
        etaMs: rate > 0 ? Math.round(((this.planned - this.doneKeys) / rate) * 1000) : null,
      },
      nodes: structuredClone(this.nodes),
    });
  }
}

/**
 * Restores a backup into `target`. Before the first write it reads the whole file (a damaged
 * one is refused), applies the conflict policy and saves a safety snapshot of every target key
 * it will overwrite plus the names of the keys it will create, so `undoRestore` can put the
 * target back. Cancelled or failed runs return a report naming exactly the keys written.
 */
export async function restoreBackup(o: RestoreOptions): Promise<RestoreReport> {
  validate(o);
  const started = Date.now();
  const backup = await openBackup(o.root, o.backup.profileId, o.backup.id);
  const { pexpiretime } = await checkTarget(backup, o.target);
  // Pass 1: the snapshot. Nothing is written to the target until it is finished on disk.
  const snapshot = await takeSafetySnapshot(o, backup, pexpiretime);
  const log = await WrittenKeysLog.create(writtenLogPath(snapshot.dir, snapshot.id));
  const report: RestoreReport = {
    status: 'completed',
    writtenCount: 0,
    writtenLog: log.path,
    skippedExisting: 0,
    skippedExpired: 0,
    snapshotId: snapshot.id,
    verification: null,
    durationMs: 0,
  };
  // Pass 2: the writes.
  const pass = new WritePass(o, log, report, snapshot.planned);
  const expired = { n: 0 };
  let failure = await pass.run(items(backup, o, expired));
  await log.close().catch((error: Error) => (failure ??= error));
  report.skippedExpired = expired.n;
  if (failure) {
    const e = failure instanceof SwarmdeckError ? failure : new SwarmdeckError('REDIS_ERROR', failure.message);
    report.status = 'failed';
    report.error = { code: e.code, message: e.message };
  } else if (o.signal?.aborted) report.status = 'cancelled';
  else if (o.verify !== false) report.verification = await verifyWritten(backup, o, pexpiretime, pass.refused);
  report.durationMs = Date.now() - started;
  return report;
}

/** Restored keys against the backup: same value (bytes or content) and the expected expiry. */
async function verifyWritten(
  backup: OpenBackup,
  o: RestorePlanOptions,
  pexpiretime: boolean,
  refused: Set<string>,
): Promise<{ checked: number; mismatched: Buffer[] }> {
  const router = new Router(o.target);
  const out = { checked: 0, mismatched: [] as Buffer[] };
  for await (const chunk of items(backup, o, { n: 0 })) {
    const mine = chunk.filter((it) => !refused.has(ident(it.key)));
    const state = await readTarget(router, mine, pexpiretime);
    for (const it of mine) {
      out.checked += 1;
      const cur = state.get(ident(it.key)) as TargetState;
      const sameValue = cur.payload !== null && samePayloadContent(cur.payload, it.record.payload);
      const expiryOk = it.ttl === 0 ? cur.expireAt === -1 : it.abs ? cur.expireAt === it.ttl : cur.expireAt > 0;
      if (!sameValue || !expiryOk) out.mismatched.push(it.key);
    }
  }
  return out;
}
