/**
 * Undo of a restore, by its journal (restore-journal.ts): each key the restore meant to write is
 * compared with both sides of its last intent. Holding what the restore wrote, it gets back
 * what it held before (deleted where it did not exist); holding what it held before, it is left
 * (never written, or put back already); holding anything else, it changed since the restore and
 * is named and left, unless the operator asked to replace such keys too.
 */
import { existsSync } from 'node:fs';
import { SwarmdeckError } from '../../../shared/errors';
import type { RedisClient } from '../../redis/client-options';
import { payloadDigest } from './compare';
import { writeIfUnchanged, type GuardedWrite } from './guarded-write';
import { openBackup } from './reader';
import { JournalReader, journalPath, type HeldValue, type JournalEntry, type JournalRecord } from './restore-journal';
import { RestoreLock } from './restore-lock';
import { ident } from './restore-plan';
import { Router, readTarget, type TargetState } from './restore-target';
import { acceptedRdbVersion, readTopology, ready } from './topology';
import type { SourceProfile } from './writer';

export interface UndoOptions {
  /** Put back keys changed since the restore too (default: leave them, and name them). */
  replaceChanged?: boolean;
  /** The target profile's key prefix, under which the restore lock lives (default `sd`). */
  keyPrefix?: string;
  /**
   * The restore ended on its own (completed or cancelled), so its journal was closed whole: a torn
   * end then means the file was damaged since, and an undo from it would quietly leave keys behind.
   */
  journalWhole?: boolean;
}

export interface UndoReport {
  restored: number;
  deleted: number;
  /** Keys the restore meant to write that hold what they held before it (never written, or put back already). */
  unchanged: number;
  /** Keys changed since the restore: how many, the first of them, and whether they were replaced. */
  changed: { count: number; keys: Buffer[]; replaced: boolean };
  /** The journal ended in a torn record (a crash mid-append): it was never acted on. */
  tornJournal: boolean;
}

/** How many changed keys a report names. */
const NAMED = 100;
const BATCH = 1000;

/** Whether the key holds the value the entry's restore wrote: its content and the expiry RESTORE gave it. */
function holdsNew(cur: TargetState, e: JournalEntry): boolean {
  if (cur.payload === null || !payloadDigest(cur.payload).equals(e.next.digest)) return false;
  return e.next.ttl === 0 ? cur.expireAt === -1 : e.next.abs ? cur.expireAt === e.next.ttl : cur.expireAt > 0;
}

function holdsOld(cur: TargetState, old: HeldValue | null, exact: boolean): boolean {
  if (old === null || cur.payload === null) return old === null && cur.payload === null;
  const expiry = exact ? cur.expireAt === old.expireAt : cur.expireAt > 0 === old.expireAt > 0;
  return expiry && payloadDigest(cur.payload).equals(payloadDigest(old.payload));
}

class Undo {
  readonly out: UndoReport;
  private readonly router: Router;

  constructor(
    target: RedisClient,
    private readonly exact: boolean,
    private readonly replaceChanged: boolean,
  ) {
    this.router = new Router(target);
    this.out = { restored: 0, deleted: 0, unchanged: 0, changed: { count: 0, keys: [], replaced: replaceChanged }, tornJournal: false };
  }

  private changed(key: Buffer): void {
    this.out.changed.count += 1;
    if (this.out.changed.keys.length < NAMED) this.out.changed.keys.push(key);
  }

  /** Decides each entry against what its key holds now, and puts back through the guarded script. */
  async batch(entries: JournalEntry[]): Promise<void> {
    const state = await readTarget(this.router, entries, this.exact);
    const writes: GuardedWrite[] = [];
    for (const e of entries) {
      const cur = state.get(ident(e.key)) as TargetState;
      if (holdsOld(cur, e.old, this.exact)) this.out.unchanged += 1;
      else {
        if (!holdsNew(cur, e)) this.changed(e.key);
        if (holdsNew(cur, e) || this.replaceChanged)
          writes.push({
            key: e.key,
            expect: cur.payload ? { payload: cur.payload, expireAt: cur.expireAt } : null,
            put: e.old ? { payload: e.old.payload, ttl: e.old.expireAt === -1 ? 0 : e.old.expireAt, abs: e.old.expireAt !== -1 } : null,
          });
      }
    }
    const { done, changed } = await writeIfUnchanged(this.router, writes, this.exact);
    for (const w of done) {
      if (w.put) this.out.restored += 1;
      else this.out.deleted += 1;
    }
    // Written to while undo read it: the newer value is someone's, and stays.
    for (const c of changed) this.changed(c.write.key);
  }
}

/** The last intent for each key (a key journaled again after a writer changed it): its record's position. */
/** Where each key's last intent is, and the keys written more than once (two backup keys renamed onto one). */
async function lastIntents(reader: JournalReader): Promise<{ last: Map<string, number>; rewritten: Set<string> }> {
  const last = new Map<string, number>();
  const writes = new Map<string, number>();
  let at = 0;
  for await (const r of reader.records()) {
    at += 1;
    if (r.kind === 'intent') for (const e of r.entries) last.set(ident(e.key), at);
    if (r.kind === 'written') for (const k of r.keys) writes.set(ident(k), (writes.get(ident(k)) ?? 0) + 1);
  }
  return { last, rewritten: new Set([...writes].filter(([, n]) => n > 1).map(([k]) => k)) };
}

/**
 * What a key held before the restore first wrote it. A key written twice (`--into-prefix a:=b:`
 * maps a:x onto a b:x the backup holds too) has a second intent whose "old" is the restore's own
 * first value; the value to put back is the old of the intent whose write applied first.
 */
class FirstHeld {
  private readonly pending = new Map<string, JournalEntry['old']>();
  private readonly first = new Map<string, JournalEntry['old']>();
  constructor(private readonly rewritten: Set<string>) {}

  see(r: JournalRecord): void {
    if (r.kind === 'intent') for (const e of r.entries) if (this.rewritten.has(ident(e.key))) this.pending.set(ident(e.key), e.old);
    if (r.kind === 'written')
      for (const k of r.keys)
        if (this.pending.has(ident(k)) && !this.first.has(ident(k))) this.first.set(ident(k), this.pending.get(ident(k)) ?? null);
  }

  entry(e: JournalEntry): JournalEntry {
    const id = ident(e.key);
    return this.first.has(id) ? { ...e, old: this.first.get(id) ?? null } : e;
  }
}

/**
 * Puts back what a restore replaced and deletes what it created, by its journal, holding the
 * target's restore lock; keys changed since the restore are named and left unless `replaceChanged`.
 */
export async function undoRestore(
  root: string,
  target: RedisClient,
  targetProfile: SourceProfile,
  restoreId: string,
  options: UndoOptions = {},
): Promise<UndoReport> {
  const snap = await openBackup(root, targetProfile.id, restoreId);
  if (snap.manifest.kind !== 'safety-snapshot')
    throw new SwarmdeckError('VALIDATION', `${restoreId} is a backup, not a safety snapshot`, { reason: 'not-a-snapshot' });
  const path = journalPath(snap.paths.dir, restoreId);
  if (!existsSync(path))
    throw new SwarmdeckError(
      'NOT_FOUND',
      `The restore ${restoreId} has no journal: it wrote nothing (it stopped before its write pass), or it predates restore journals; its safety snapshot ${restoreId} holds what the replaced keys held (restore it with conflict "replace" to put those back), but not the keys the restore created, which stay`,
      { reason: 'no-journal' },
    );
  await ready(target);
  const exact = acceptedRdbVersion(await readTopology(target)) >= 10;
  const lock = await RestoreLock.take(target, options.keyPrefix ?? 'sd', `undo of restore ${restoreId}`);
  try {
    const undo = new Undo(target, exact, options.replaceChanged === true);
    const reader = new JournalReader(path);
    const { last, rewritten } = await lastIntents(reader);
    const held = new FirstHeld(rewritten);
    if (reader.torn && options.journalWhole)
      throw new SwarmdeckError(
        'CORRUPT_FILE',
        `The journal of restore ${restoreId} ends short, though the restore finished: it was damaged since, and an undo from it would leave keys behind. Nothing was changed; its safety snapshot ${restoreId} holds what the keys held before`,
        { file: path, reason: 'journal-damaged' },
      );
    let chunk: JournalEntry[] = [];
    let at = 0;
    for await (const r of reader.records()) {
      at += 1;
      held.see(r);
      if (r.kind !== 'intent') continue;
      for (const e of r.entries) if (last.get(ident(e.key)) === at) chunk.push(held.entry(e));
      if (chunk.length < BATCH) continue;
      lock.check();
      await undo.batch(chunk);
      chunk = [];
    }
    if (chunk.length > 0) await undo.batch(chunk);
    undo.out.tornJournal = reader.torn;
    return undo.out;
  } finally {
    await lock.release();
  }
}
