/**
 * A router in its own process: routes every message on channel `in` and prints `version N`
 * each time it loads a new version of the routes, so a test can change a route in its own
 * process and see this one apply it.
 */
import { Cluster, Redis } from 'ioredis';
import { Messaging } from '../../src/main/features/messaging/messaging';
import { MessageRouter } from '../../src/main/features/messaging/router';

const [kind, port, prefix] = process.argv.slice(2) as [string, string, string];
const client = kind === 'cluster' ? new Cluster([{ host: '127.0.0.1', port: Number(port) }]) : new Redis(Number(port), '127.0.0.1');
const messaging = new Messaging(client, { prefix, publisher: `router-${process.pid}` });
const router = new MessageRouter(client, messaging, { prefix });
router.onChange((version) => process.stdout.write(`version ${version}\n`));
await router.start();
await router.attach({ channel: 'in' }, (error) => process.stderr.write(`${error.code}: ${error.message}\n`));
process.stdout.write('ready\n');
// Ends when the test closes stdin.
process.stdin.resume();
process.stdin.on('end', () => {
  void router
    .stop()
    .then(() => messaging.close())
    .then(() => client.disconnect());
});
