import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dispatchFor } from '../../api';
import { defaultHome } from '../../home';
import { createServices } from '../../services';
import { DEFAULT_AUTH_LIMITS } from './session-auth';
import { startWebHost } from './web-host';

const USAGE = `npm run serve [-- --port N] [--sandbox] [--home DIR]
  the console in a browser tab, on 127.0.0.1 only; open the login URL it prints
  --port N     listen on port N (default: a free one)
  --sandbox    start a private redis-server and a development profile for it
  --home DIR   the Swarmdeck home (default: $SWARMDECK_HOME or ~/.config/swarmdeck)`;

/** `npm run serve [-- --port N] [--sandbox] [--home DIR]`: the console in a browser tab. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      home: { type: 'string' },
      sandbox: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0–65535, got "${values.port}"`);
  const services = createServices({ home: values.home ?? defaultHome(), host: 'web', runSchedules: true, collectMetrics: true });
  const dispatch = dispatchFor(services, (error) => console.error('[swarmdeck] unexpected', error));
  const host = await startWebHost({
    dispatch,
    bus: services.bus,
    staticDir: join(import.meta.dirname, '../renderer'),
    port,
    // The first login token; each later one (the last expired, or SIGUSR2) is random and printed like it.
    token: process.env.SWARMDECK_TOKEN || undefined,
  });
  if (values.sandbox) {
    const profile = await services.sandbox.start();
    await services.connections.connect(profile.id);
    console.log(
      `Sandbox redis-server on 127.0.0.1:${profile.topology.kind === 'standalone' ? profile.topology.port : '?'} (profile "${profile.name}")`,
    );
  }
  console.log(`Swarmdeck web host: ${host.loginUrl}`);
  console.log(
    `(the login URL works for ${Math.round(DEFAULT_AUTH_LIMITS.loginTtlMs / 60_000)} min; \`kill -USR2 ${process.pid}\` prints a fresh one)`,
  );
  const shutdown = (): void => {
    void host
      .close()
      .then(() => services.dispose())
      .finally(() => process.exit(0));
  };
  // `kill -USR2 <pid>`: a fresh login URL, e.g. for a new tab once the printed one has expired.
  process.on('SIGUSR2', () => void host.renewLogin());
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(`swarmdeck serve: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
