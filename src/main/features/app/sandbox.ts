import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { SwarmdeckError } from '../../../shared/errors';
import { defaultProfileInput, editableFields, type Profile } from '../../../shared/model/profile';
import type { SandboxStatus } from '../../../shared/model/sandbox';
import type { ProfileStore } from '../profiles/profile-store';
import { freePort } from '../../free-port';

const INSTALL_HINT =
  'No redis-server was found on the PATH. Install Redis (Debian/Ubuntu: "sudo apt-get install redis-server", macOS: "brew install redis") or connect to an existing server such as 127.0.0.1:6379.';
const SANDBOX_NAME = 'Local sandbox';

export function findOnPath(binary: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

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
 * A private redis-server for first runs: loopback only, its own temporary data directory,
 * stopped (and its directory removed) when the app quits.
 */
export class Sandbox {
  private child?: ChildProcess;
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
    const dataDir = await mkdtemp(join(tmpdir(), 'swarmdeck-sandbox-'));
    const child = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dataDir, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'],
      { stdio: 'ignore' },
    );
    this.child = child;
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) =>
        reject(new SwarmdeckError('UNAVAILABLE', `The sandbox redis-server exited (code ${code}) before it was ready`)),
      ),
    );
    exited.catch(() => undefined);
    const deadline = Date.now() + 10_000;
    while (!(await Promise.race([answersPing(port), exited]))) {
      if (Date.now() > deadline) {
        child.kill();
        throw new SwarmdeckError('TIMEOUT', 'The sandbox redis-server did not answer within 10 s');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const existing = (await this.profiles.list()).find((p) => p.sandbox);
    const profile = await this.profiles.save({
      ...defaultProfileInput(),
      ...(existing ? { ...editableFields(existing), id: existing.id } : {}),
      name: existing?.name ?? SANDBOX_NAME,
      environment: 'development',
      topology: { kind: 'standalone', host: '127.0.0.1', port, db: 0 },
      sandbox: true,
    });
    this.running = { port, profileId: profile.id, dataDir };
    child.once('exit', () => {
      this.running = undefined;
      this.child = undefined;
    });
    return profile;
  }

  async stop(): Promise<void> {
    const dataDir = this.running?.dataDir;
    if (this.child && this.child.exitCode === null) {
      const gone = new Promise((r) => this.child?.once('exit', r));
      this.child.kill('SIGTERM');
      await gone;
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}
