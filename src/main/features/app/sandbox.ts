import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { SwarmdeckError } from '../../../shared/errors';
import { defaultProfileInput, editableFields, type Profile } from '../../../shared/model/profile';
import type { SandboxStatus } from '../../../shared/model/sandbox';
import type { ProfileStore } from '../profiles/profile-store';
import { freePort } from '../../free-port';
import { findOnPath, launchRedisServer, type LaunchedServer } from '../../redis/server-launcher';

const INSTALL_HINT =
  'No redis-server was found on the PATH. Install Redis (Debian/Ubuntu: "sudo apt-get install redis-server", macOS: "brew install redis") or connect to an existing server such as 127.0.0.1:6379.';
const SANDBOX_NAME = 'Local sandbox';

/**
 * Whether a sandbox another console started (and still runs) answers. Not a readiness check:
 * there is no server of ours to wait for, only one PING with a short timeout.
 */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(300, () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
    socket.once('data', (data) => (socket.destroy(), resolve(data.toString().startsWith('+PONG'))));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

/**
 * A private redis-server for first runs (redis/server-launcher.ts runs it, in a 0700 folder of
 * its own, gone with us). Unlike a scratch server it listens on a loopback port, with protected
 * mode on: a profile connects over TCP, and the operator may point other tools at it.
 */
export class Sandbox {
  private server?: LaunchedServer<{ kind: 'tcp'; port: number }>;
  private running?: { port: number; profileId: string; dataDir: string };

  constructor(private readonly profiles: ProfileStore) {}

  status(): SandboxStatus {
    const binary = findOnPath('redis-server');
    return binary
      ? { available: true, binary, ...(this.running ? { running: this.running } : {}) }
      : { available: false, hint: INSTALL_HINT };
  }

  /** The saved sandbox profile when its server answers — started by a console that is running now. */
  async reachable(): Promise<Profile | undefined> {
    const saved = (await this.profiles.list()).find((p) => p.sandbox);
    if (saved?.topology.kind !== 'standalone') return undefined;
    return (await answersPing(saved.topology.port)) ? saved : undefined;
  }

  async start(): Promise<Profile> {
    if (this.running) return this.profiles.get(this.running.profileId);
    const binary = findOnPath('redis-server');
    if (!binary) throw new SwarmdeckError('UNAVAILABLE', INSTALL_HINT);
    const port = await freePort();
    const server = await launchRedisServer(binary, {
      purpose: 'the sandbox',
      base: tmpdir(),
      prefix: 'swarmdeck-sandbox-',
      listen: { kind: 'tcp', port },
      args: ['--protected-mode', 'yes'],
    });
    // Only the readiness check needed a connection: the sandbox's clients are the profile's.
    server.client.disconnect();
    this.server = server;
    const existing = (await this.profiles.list()).find((p) => p.sandbox);
    const profile = await this.profiles.save({
      ...defaultProfileInput(),
      ...(existing ? { ...editableFields(existing), id: existing.id } : {}),
      name: existing?.name ?? SANDBOX_NAME,
      environment: 'development',
      topology: { kind: 'standalone', host: '127.0.0.1', port, db: 0 },
      sandbox: true,
    });
    this.running = { port, profileId: profile.id, dataDir: server.dir };
    void server.gone.then(() => {
      this.running = undefined;
      this.server = undefined;
    });
    return profile;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }
}
