/**
 * A process that starts the local sandbox and holds it: it prints the sandbox's port and folder,
 * then waits to be killed, so a test can SIGKILL it and see whether the sandbox outlives it.
 */
import { Sandbox } from '../../src/main/features/app/sandbox';
import { ProfileStore } from '../../src/main/features/profiles/profile-store';
import { ownerOnlyCodec, SecretStore } from '../../src/main/features/profiles/secret-store';

const [home] = process.argv.slice(2) as [string];
const sandbox = new Sandbox(new ProfileStore(home, new SecretStore(home, ownerOnlyCodec, {})));
await sandbox.start();
const running = sandbox.status().running;
process.stdout.write(`${JSON.stringify({ port: running?.port, dir: running?.dataDir })}\n`);
setInterval(() => undefined, 60_000);
