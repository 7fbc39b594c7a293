/**
 * The restore journal on real files: a record torn anywhere (a crash mid-append), or a tail of
 * zeros, ends the reading at the last whole record, never with an error; every whole record reads
 * back as written.
 */
import { readFileSync, rmSync, truncateSync, writeFileSync, appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JournalReader, RestoreJournal, type JournalEntry, type JournalRecord } from '../../src/main/features/backup/restore-journal';

const base = mkdtempSync(join(tmpdir(), 'sd-journal-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const entry = (i: number): JournalEntry => ({
  key: Buffer.from([0xff, i, 0x00]),
  old: i % 2 ? { payload: Buffer.alloc(100 + i, i), expireAt: 1_900_000_000_000 + i } : null,
  next: { digest: Buffer.alloc(20, i), ttl: i % 3 ? 0 : 1_800_000_000_000, abs: i % 3 === 0 },
});

async function read(path: string): Promise<{ records: JournalRecord[]; torn: boolean }> {
  const reader = new JournalReader(path);
  const records: JournalRecord[] = [];
  for await (const r of reader.records()) records.push(r);
  return { records, torn: reader.torn };
}

describe('restore journal', () => {
  it('reads a torn last record, at every byte of it, up to the last whole record', async () => {
    const path = join(base, 'a.journal');
    const header = {
      format: 'swarmdeck-restore-journal',
      version: 1,
      restoreId: 'r',
      backup: { profileId: 'p', id: 'b' },
      conflict: 'replace',
      ttl: 'absolute',
      createdAt: 'now',
    } as const;
    const journal = await RestoreJournal.create(path, header);
    await journal.intend([entry(1), entry(2)]);
    await journal.written([Buffer.from('k1')]);
    const whole = readFileSync(path).length;
    await journal.intend([entry(3), entry(4), entry(5)]);
    await journal.close();
    const full = readFileSync(path);
    const all = await read(path);
    expect(all.torn).toBe(false);
    expect(all.records.map((r) => r.kind)).toEqual(['header', 'intent', 'written', 'intent']);
    expect(all.records[0]).toEqual({ kind: 'header', header });
    expect(all.records[3]).toEqual({ kind: 'intent', entries: [entry(3), entry(4), entry(5)] });
    for (let cut = whole + 1; cut < full.length; cut += 1) {
      writeFileSync(path, full);
      truncateSync(path, cut);
      const r = await read(path);
      expect([r.torn, r.records.length], `cut at ${cut}`).toEqual([true, 3]);
    }
    // A tail of zeros, as a file system may leave after a power cut, and a flipped byte.
    writeFileSync(path, full.subarray(0, whole));
    appendFileSync(path, Buffer.alloc(4096));
    expect(await read(path)).toMatchObject({ torn: true, records: { length: 3 } });
    const flipped = Buffer.from(full);
    flipped.writeUInt8(flipped.readUInt8(full.length - 3) ^ 0xff, full.length - 3);
    writeFileSync(path, flipped);
    expect(await read(path)).toMatchObject({ torn: true, records: { length: 3 } });
    // A record damaged with whole records after it is no crash: the journal is refused, not half read.
    const middle = Buffer.from(full);
    middle.writeUInt8(middle.readUInt8(whole - 3) ^ 0xff, whole - 3);
    writeFileSync(path, middle);
    await expect(read(path)).rejects.toMatchObject({ code: 'CORRUPT_FILE', details: { reason: 'journal-damaged' } });
  });
});
