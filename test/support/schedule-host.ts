/**
 * A second Swarmdeck host in its own process, for the schedule tests: the real services on a
 * home, running its schedules as the desktop app does, until it is killed.
 *   home
 */
import { createServices } from '../../src/main/services';

const services = createServices({ home: process.argv[2] as string, host: 'desktop', runSchedules: true, env: {} });
process.on('SIGTERM', () => void services.dispose().finally(() => process.exit(0)));
// The services' timers are unref'd, as they are in the app, whose window keeps it alive.
setInterval(() => undefined, 60_000);
process.stdout.write(`ready ${process.pid}\n`);
