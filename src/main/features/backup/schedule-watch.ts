import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * Calls `changed` when the file at `path` is replaced. The folder is watched, not the file: the
 * durable writer renames a new file over the old one, and a watch on the file would keep
 * following the old inode. A watch that cannot be set up or fails later (some network file
 * systems) simply goes quiet: the caller re-reads on a timer of its own as well.
 */
export function watchFile(path: string, changed: () => void): () => void {
  const name = basename(path);
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(path), { persistent: false }, (_event, file) => {
      // No name is given on some platforms: then any change in the folder may be this file.
      if (file === null || file === name) changed();
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = undefined;
  }
  return () => watcher?.close();
}
