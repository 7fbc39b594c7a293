import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * A JSON document on disk, written atomically (temp file + rename) so a crash mid-write
 * never leaves half a file, with writes serialised so two saves never interleave.
 */
export class JsonFile<T> {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly empty: () => T,
    private readonly mode = 0o600,
  ) {}

  async read(): Promise<T> {
    try {
      return JSON.parse(await readFile(this.path, 'utf8')) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return this.empty();
      throw error;
    }
  }

  /** Reads, applies `change`, writes back; the whole cycle is exclusive. */
  update<R>(change: (doc: T) => R | Promise<R>): Promise<R> {
    const run = this.queue.then(async () => {
      const doc = await this.read();
      const result = await change(doc);
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      const tmp = `${this.path}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(doc, null, 2), { mode: this.mode });
      await rename(tmp, this.path);
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
