import { homedir } from 'node:os';
import { join } from 'node:path';
import { FileLock } from './file-lock';

/** Where profiles, settings and secrets live outside Electron: $SWARMDECK_HOME or the XDG config dir. */
export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SWARMDECK_HOME) return env.SWARMDECK_HOME;
  const config = env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
  return join(config, 'swarmdeck');
}

/**
 * One lock for every file of a home: a profile and its password live in two files and must
 * change together, and the app, the web host and any number of CLIs may write at once.
 */
export function homeLock(home: string): FileLock {
  return new FileLock(join(home, '.lock'));
}
