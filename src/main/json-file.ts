import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { SwarmdeckError, type FieldError } from '../shared/errors';
import { writeFileDurably } from './durable-file';
import type { FileLock } from './file-lock';

/**
 * A JSON document on disk, validated against its schema on every read and replaced durably
 * on every write (durable-file.ts), so neither a crash nor a reader ever sees half a file.
 * Read-modify-write cycles run under a lock shared across processes.
 */
export class JsonFile<T> {
  constructor(
    readonly path: string,
    private readonly schema: z.ZodType<T>,
    private readonly empty: () => T,
    private readonly lock: FileLock,
    private readonly mode = 0o600,
  ) {}

  /** The document, or the empty one when the file does not exist yet; a broken file is CORRUPT_FILE. */
  async read(): Promise<T> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return this.empty();
      throw error;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      // Never the parser's own text: it quotes the bytes around the fault, and in secrets.json
      // those bytes are a password. The position is enough to find it.
      const at = /position (\d+)/.exec((error as Error).message)?.[1];
      const where = at === undefined ? '' : ` near ${lineColumn(text, Number(at))}`;
      throw new SwarmdeckError('CORRUPT_FILE', `${this.path} is not valid JSON${where}; fix or move it away`, { file: this.path });
    }
    const parsed = this.schema.safeParse(raw);
    if (!parsed.success) {
      const fields: FieldError[] = parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.') || '(file)',
        message: issue.message,
      }));
      const first = fields[0] as FieldError;
      throw new SwarmdeckError('CORRUPT_FILE', `${this.path} is not valid: ${first.path}: ${first.message}`, { file: this.path, fields });
    }
    return parsed.data;
  }

  /** Replaces the file; only call it while holding the lock, after reading what it replaces. */
  write(doc: T): Promise<void> {
    return writeFileDurably(this.path, JSON.stringify(doc, null, 2), { mode: this.mode });
  }

  /** Reads, applies `change`, writes back, all under the lock; a `change` that throws writes nothing. */
  update<R>(change: (doc: T) => R | Promise<R>): Promise<R> {
    return this.lock.run(async () => {
      const doc = await this.read();
      const result = await change(doc);
      await this.write(doc);
      return result;
    });
  }
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}
