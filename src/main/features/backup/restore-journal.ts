/**
 * A restore's journal: what the target held under each key, on disk before the key is replaced,
 * so that undo after a crash at any instant puts back exactly what was there.
 *
 * The order, per batch of keys:
 *   1. read what the target holds under each key (DUMP and expiry; EXISTS under skip/fail);
 *   2. append an intent record: each key, what it held (its value and expiry, or "absent") and
 *      the digest and expiry of what the restore will write there; fdatasync;
 *   3. run replace-if-unchanged.lua on the owning master: per key, atomically, it writes the new
 *      value only if the key still holds exactly what step 1 read (DUMP's SHA-1 and expiry), and
 *      answers the current state of each key it left alone;
 *   4. keys a writer changed between 1 and 3 are journaled again with what they hold now
 *      (another intent, synced) and step 3 is retried for them; under skip or fail, a key that
 *      now exists is left to its writer;
 *   5. append which keys were written (for the report; not synced on its own).
 * So no key is ever replaced while the journal's last word on it is not what it held at that
 * instant: a crash before 2 has written nothing of the batch, a crash between 2 and 3 leaves an
 * intent for keys still holding their old values, a crash between 3 and 5 leaves keys holding
 * the new ones. Undo tells these apart by comparing each key with both sides of its last intent
 * (the old value, and the digest of the new one): new → put the old one back; old → nothing to
 * do; anything else → the key changed since the restore, which undo names and leaves alone
 * unless told to replace it. Undo writes through the same script, so a key that changes while
 * undo runs is not overwritten either.
 *
 * The file is append-only (DurableLog): records are framed as [u32 length][u32 CRC-32][body].
 * A crash can tear the last record only, so the reader stops at the first record that is short
 * or fails its CRC: that record was never synced, hence never acted on.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { SwarmdeckError } from '../../../shared/errors';
import { DurableLog, fileFailure } from '../../durable-file';

export const journalPath = (dir: string, restoreId: string): string => join(dir, `${restoreId}.journal`);

export interface JournalHeader {
  format: 'swarmdeck-restore-journal';
  version: 1;
  restoreId: string;
  backup: { profileId: string; id: string };
  conflict: string;
  ttl: string;
  createdAt: string;
}

/** A value as the target held it (absolute expiry in ms, -1 for none). */
export interface HeldValue {
  payload: Buffer;
  expireAt: number;
}

/** One key of an intent: what it held just before the write, and what the restore writes there. */
export interface JournalEntry {
  key: Buffer;
  old: HeldValue | null;
  /** The new value's content digest (`payloadDigest`) and its expiry as RESTORE takes it. */
  next: { digest: Buffer; ttl: number; abs: boolean };
}

export type JournalRecord =
  { kind: 'header'; header: JournalHeader } | { kind: 'intent'; entries: JournalEntry[] } | { kind: 'written'; keys: Buffer[] };

const HEADER = 0x48; // 'H'
const INTENT = 0x4b; // 'K'
const WRITTEN = 0x57; // 'W'
const DIGEST_BYTES = 20;

/** Builds a record body of known parts without copying each field twice. */
class Body {
  private readonly parts: Buffer[] = [];
  u8(v: number): this {
    this.parts.push(Buffer.from([v]));
    return this;
  }
  u32(v: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32BE(v, 0);
    this.parts.push(b);
    return this;
  }
  f64(v: number): this {
    const b = Buffer.allocUnsafe(8);
    b.writeDoubleBE(v, 0);
    this.parts.push(b);
    return this;
  }
  bytes(b: Buffer): this {
    this.u32(b.length);
    this.parts.push(b);
    return this;
  }
  raw(b: Buffer): this {
    this.parts.push(b);
    return this;
  }
  frame(): Buffer {
    const body = Buffer.concat(this.parts);
    const head = Buffer.allocUnsafe(8);
    head.writeUInt32BE(body.length, 0);
    head.writeUInt32BE(crc32(body), 4);
    return Buffer.concat([head, body]);
  }
}

class Cursor {
  at = 1;
  constructor(private readonly b: Buffer) {}
  u8(): number {
    return this.b.readUInt8((this.at += 1) - 1);
  }
  u32(): number {
    return this.b.readUInt32BE((this.at += 4) - 4);
  }
  f64(): number {
    return this.b.readDoubleBE((this.at += 8) - 8);
  }
  raw(n: number): Buffer {
    const out = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  bytes(): Buffer {
    return this.raw(this.u32());
  }
}

function intentBody(entries: JournalEntry[]): Body {
  const body = new Body().u8(INTENT).u32(entries.length);
  for (const e of entries) {
    body.bytes(e.key);
    if (e.old === null) body.u8(0);
    else body.u8(1).f64(e.old.expireAt).bytes(e.old.payload);
    body
      .raw(e.next.digest)
      .f64(e.next.ttl)
      .u8(e.next.abs ? 1 : 0);
  }
  return body;
}

function decode(body: Buffer): JournalRecord {
  const c = new Cursor(body);
  if (body[0] === HEADER) return { kind: 'header', header: JSON.parse(body.subarray(1).toString('utf8')) as JournalHeader };
  const n = c.u32();
  if (body[0] === WRITTEN) return { kind: 'written', keys: Array.from({ length: n }, () => c.bytes()) };
  const entries: JournalEntry[] = [];
  for (let i = 0; i < n; i += 1) {
    const key = c.bytes();
    const old = c.u8() === 1 ? { expireAt: c.f64(), payload: c.bytes() } : null;
    entries.push({ key, old, next: { digest: c.raw(DIGEST_BYTES), ttl: c.f64(), abs: c.u8() === 1 } });
  }
  return { kind: 'intent', entries };
}

export class RestoreJournal {
  private constructor(private readonly log: DurableLog) {}

  /** Creates the journal with its header, synced, before anything is written to the target. */
  static async create(path: string, header: JournalHeader): Promise<RestoreJournal> {
    const log = await DurableLog.create(path);
    try {
      await log.append(
        new Body()
          .u8(HEADER)
          .raw(Buffer.from(JSON.stringify(header), 'utf8'))
          .frame(),
      );
    } catch (error) {
      await log.close();
      throw error;
    }
    return new RestoreJournal(log);
  }

  get path(): string {
    return this.log.path;
  }

  /** Records what the keys hold and what will be written there; on disk when it resolves. */
  intend(entries: JournalEntry[]): Promise<void> {
    return this.log.append(intentBody(entries).frame());
  }

  /** Records keys the target took (synced with the next intent or the close). */
  written(keys: Buffer[]): Promise<void> {
    if (keys.length === 0) return Promise.resolve();
    const body = new Body().u8(WRITTEN).u32(keys.length);
    for (const k of keys) body.bytes(k);
    return this.log.append(body.frame(), false);
  }

  /** Syncs what is left and closes; a failure is a FILE_ERROR, and every intent before it stands. */
  close(): Promise<void> {
    return this.log.close();
  }
}

/**
 * Reads a journal's records up to its last whole one; `torn` says whether a torn record (a crash
 * mid-append) ended it. A missing or unreadable file is a FILE_ERROR.
 */
export class JournalReader {
  torn = false;
  constructor(readonly path: string) {}

  async *records(): AsyncGenerator<JournalRecord> {
    const handle = await open(this.path, 'r').catch((error: unknown) => {
      throw fileFailure(error, this.path, 'read');
    });
    try {
      const size = (await handle.stat()).size;
      const head = Buffer.alloc(8);
      let at = 0;
      while (at < size) {
        if (size - at < 8 || (await handle.read(head, 0, 8, at)).bytesRead < 8) return void (this.torn = true);
        const len = head.readUInt32BE(0);
        // A zero length is a tail of zeros, as a file system may leave after a crash.
        if (len === 0 || size - at - 8 < len) return void (this.torn = true);
        const body = Buffer.alloc(len);
        const whole = (await handle.read(body, 0, len, at + 8)).bytesRead === len && crc32(body) === head.readUInt32BE(4);
        // A crash tears only the last record; a bad one with records after it is damage.
        if (!whole && at + 8 + len < size)
          throw new SwarmdeckError('CORRUPT_FILE', `The journal ${this.path} is damaged at byte ${at}: a record fails its checksum`, {
            file: this.path,
            reason: 'journal-damaged',
          });
        if (!whole) return void (this.torn = true);
        at += 8 + len;
        yield decode(body);
      }
    } finally {
      await handle.close();
    }
  }
}

/** The keys a restore wrote, as its journal says. */
export async function* readWrittenLog(path: string): AsyncGenerator<Buffer> {
  for await (const r of new JournalReader(path).records()) if (r.kind === 'written') yield* r.keys;
}
