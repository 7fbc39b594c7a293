import type { SliceHandlers } from '../../../shared/contract';
import type { appContract } from '../../../shared/contract/app';
import type { Services } from '../../services';
import { profileView } from '../profiles/handlers';

/** Injected at build time from package.json (see electron.vite.config.ts). */
declare const __SWARMDECK_VERSION__: string | undefined;
const APP_VERSION = typeof __SWARMDECK_VERSION__ === 'string' ? __SWARMDECK_VERSION__ : 'dev';

export function appHandlers(s: Services): SliceHandlers<typeof appContract> {
  return {
    'app.info': async () => ({ version: APP_VERSION, secrets: s.secrets.backend }),
    'sandbox.status': async () => s.sandbox.status(),
    'sandbox.start': async () => {
      const profile = await s.sandbox.start();
      s.bus.emit({ type: 'profiles.changed' });
      return profileView(s)(profile);
    },
  };
}
