import net from 'node:net';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisClient } from '../../src/main/redis/client-options';
import { bed } from './bed';

interface Held {
  chunk: Buffer;
  due: number;
}

interface Link {
  client: net.Socket;
  server: net.Socket;
  /** Server→client bytes waiting for their delay to pass, oldest first. */
  held: Held[];
  timer?: NodeJS.Timeout;
}

/**
 * A loopback TCP proxy in front of one Redis server, so a test can make the replies to one
 * client late (requests still reach the server at once, as on a congested return path) or
 * cut it off. Bytes are never reordered: a chunk never overtakes an earlier one, even when
 * the delay is lowered while older bytes are still held.
 */
export class TcpProxy {
  /** Delay, in ms, added to every server→client chunk that arrives from now on. */
  delayMs = 0;
  private readonly links = new Set<Link>();
  private refusing = false;

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    readonly target: { host: string; port: number },
  ) {
    server.on('connection', (socket) => this.accept(socket));
  }

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new TcpProxy(server, (server.address() as net.AddressInfo).port, target);
  }

  private accept(client: net.Socket): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    const server = net.connect(this.target.port, this.target.host);
    const link: Link = { client, server, held: [] };
    this.links.add(link);
    client.setNoDelay(true);
    server.setNoDelay(true);
    client.on('data', (chunk) => server.write(chunk));
    server.on('data', (chunk) => this.hold(link, chunk));
    const drop = (): void => this.drop(link);
    for (const socket of [client, server]) {
      socket.on('error', drop);
      socket.on('close', drop);
    }
  }

  private hold(link: Link, chunk: Buffer): void {
    const now = performance.now();
    const last = link.held.at(-1)?.due ?? 0;
    link.held.push({ chunk, due: Math.max(now + this.delayMs, last) });
    if (link.held.length === 1) this.pump(link);
  }

  private pump(link: Link): void {
    clearTimeout(link.timer);
    for (let head = link.held[0]; head; head = link.held[0]) {
      const wait = head.due - performance.now();
      if (wait > 0) {
        link.timer = setTimeout(() => this.pump(link), wait);
        return;
      }
      link.held.shift();
      link.client.write(head.chunk);
    }
  }

  private drop(link: Link): void {
    if (!this.links.delete(link)) return;
    clearTimeout(link.timer);
    link.client.destroy();
    link.server.destroy();
  }

  /** Resets every connection and refuses new ones until `restore()`. */
  cut(): void {
    this.refusing = true;
    for (const link of [...this.links]) this.drop(link);
  }

  restore(): void {
    this.refusing = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * A client whose every connection to the test bed runs through proxies of its own. For the
 * cluster there is one proxy per node and ioredis `natMap` sends each node the cluster
 * announces through its proxy, so the client never reaches a node directly.
 */
export class ProxiedTarget {
  private constructor(
    readonly kind: 'standalone' | 'cluster',
    readonly proxies: TcpProxy[],
  ) {}

  static async start(kind: 'standalone' | 'cluster'): Promise<ProxiedTarget> {
    const ports = kind === 'standalone' ? [bed.standalone.port] : bed.cluster.ports;
    return new ProxiedTarget(kind, await Promise.all(ports.map((port) => TcpProxy.start({ host: '127.0.0.1', port }))));
  }

  connect(options: RedisOptions = {}): RedisClient {
    const [first] = this.proxies as [TcpProxy];
    const natMap = Object.fromEntries(this.proxies.map((p) => [`${p.target.host}:${p.target.port}`, { host: '127.0.0.1', port: p.port }]));
    const client =
      this.kind === 'standalone'
        ? new Redis(first.port, '127.0.0.1', options)
        : new Cluster([{ host: '127.0.0.1', port: first.port }], { natMap, redisOptions: options });
    // Cut connections are the point of these clients; the code under test hears of them through its commands.
    client.on('error', () => undefined);
    return client;
  }

  /** Delays every reply to this target's clients by `ms` from now on (0 restores). */
  delay(ms: number): void {
    for (const p of this.proxies) p.delayMs = ms;
  }

  cut(): void {
    for (const p of this.proxies) p.cut();
  }

  restore(): void {
    for (const p of this.proxies) p.restore();
  }

  async close(): Promise<void> {
    await Promise.all(this.proxies.map((p) => p.close()));
  }
}
