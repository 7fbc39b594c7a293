/**
 * The Swarmdeck home is private: every file in it 0600, every folder 0700, whatever the
 * process umask. Backups hold production values (passwords among them), so a mode left to the
 * defaults (0644 files in 0755 folders under the usual umask 022) hands them to every local user.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync, realpathSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { SwarmdeckError } from '../shared/errors';

export const PRIVATE_FILE = 0o600;
export const PRIVATE_DIR = 0o700;

/**
 * Creates `dir` (and missing parents) as 0700 and makes `dir` itself 0700 if it already
 * existed: a folder an older version made 0755 is closed the next time something is written
 * into it, which also shuts out the older files inside.
 */
export function privateDirSync(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  if (process.platform === 'win32') return;
  if ((lstatSync(dir).mode & 0o777) !== PRIVATE_DIR) chmodSync(dir, PRIVATE_DIR);
}

/**
 * Makes an existing tree private (folders 0700, files 0600), for what older versions left
 * behind. Symbolic links are neither followed nor changed: they may point outside the home.
 */
export function tightenTreeSync(root: string): void {
  if (process.platform === 'win32') return;
  let info;
  try {
    info = lstatSync(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const want = info.isDirectory() ? PRIVATE_DIR : info.isFile() ? PRIVATE_FILE : undefined;
  if (want === undefined) return;
  if ((info.mode & 0o777) !== want) chmodSync(root, want);
  if (info.isDirectory()) for (const name of readdirSync(root)) tightenTreeSync(join(root, name));
}

/** Whether `path` is the home or lies inside it, symbolic links resolved as far as they exist. */
export function isInsideHome(home: string, path: string): boolean {
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      // Not there yet (the file about to be written): resolve its folder instead.
      const up = dirname(p);
      return up === p ? p : join(real(up), relative(up, p));
    }
  };
  const rel = relative(real(resolve(home)), real(resolve(path)));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The mode for a file the operator names (a report): the home's 0600 when it goes into the home,
 * else what the operator's umask makes of 0666, as for any file a command writes where told.
 */
export function operatorFileMode(home: string, path: string): number {
  return isInsideHome(home, path) ? PRIVATE_FILE : 0o666;
}

/**
 * Refuses a secret file that anyone but its owner may read or write: reading it would work, but
 * every secret in it may already have leaked, and rewriting it as 0600 would hide that.
 */
export async function refuseOpenToOthers(path: string, what: string): Promise<void> {
  if (process.platform === 'win32') return;
  let mode: number;
  try {
    mode = (await stat(path)).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new SwarmdeckError('FILE_ERROR', `Cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`, {
      file: path,
    });
  }
  if ((mode & 0o077) !== 0) {
    const shown = (mode & 0o777).toString(8).padStart(3, '0');
    throw new SwarmdeckError(
      'UNAVAILABLE',
      `${path} is open to other users (mode ${shown}), so ${what} may have leaked; run "chmod 600 ${path}" and try again (and replace ${what} if others could read it)`,
      {
        file: path,
        reason: 'readable-by-others',
        fix: `chmod 600 ${path}`,
      },
    );
  }
}
