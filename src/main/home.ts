import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where profiles, settings and secrets live outside Electron: $SWARMDECK_HOME or the XDG config dir. */
export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SWARMDECK_HOME) return env.SWARMDECK_HOME;
  const config = env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
  return join(config, 'swarmdeck');
}
