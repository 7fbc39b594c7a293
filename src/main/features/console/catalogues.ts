import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { ConsoleCatalogue } from '../../../shared/model/console';
import snapshotJson from '../../../shared/redis-commands.snapshot.json' with { type: 'json' };
import { homeLock } from '../../home';
import { JsonFile } from '../../json-file';
import type { Session } from '../../redis/connection-manager';
import { nodeHandles, type NodeHandle } from '../../redis/nodes';
import { buildCatalogue } from './catalogue';

/** The cache file is ours, written from a built catalogue; its outline is checked, not every command. */
const CatalogueFileSchema = z.custom<ConsoleCatalogue>(
  (v) =>
    z
      .looseObject({ source: z.enum(['server', 'snapshot']), version: z.string(), commands: z.array(z.looseObject({ name: z.string() })) })
      .safeParse(v).success,
  'not a console command catalogue',
);

/** The command catalogues the console knows: the shipped snapshot, and each server version's own. */
export class ConsoleCatalogues {
  private snapshotCatalogue?: ConsoleCatalogue;
  /** By server version: every profile on the same version shares one. */
  private readonly byVersion = new Map<string, Promise<ConsoleCatalogue>>();
  private readonly bySession = new WeakMap<Session, Promise<ConsoleCatalogue>>();

  constructor(private readonly home: string) {}

  /** The catalogue shipped with Swarmdeck, generated from a Redis 7 server's own replies. */
  snapshot(): ConsoleCatalogue {
    this.snapshotCatalogue ??= buildCatalogue('snapshot', snapshotJson.version, snapshotJson.docs, snapshotJson.info);
    return this.snapshotCatalogue;
  }

  /** The connected server's own catalogue, read once per server version (memory, then a file in the home). */
  of(session: Session): Promise<ConsoleCatalogue> {
    let pending = this.bySession.get(session);
    if (!pending) {
      pending = this.read(session);
      // A failure (a server that went away) is not kept: the next call asks again.
      pending.catch(() => this.bySession.delete(session));
      this.bySession.set(session, pending);
    }
    return pending;
  }

  private async read(session: Session): Promise<ConsoleCatalogue> {
    const node = (nodeHandles(session.client, 'master')[0] as NodeHandle).client;
    const info = String(await node.info('server'));
    const version = /redis_version:([^\r\n]+)/.exec(info)?.[1] ?? 'unknown';
    let pending = this.byVersion.get(version);
    if (!pending) {
      pending = this.load(node, version);
      pending.catch(() => this.byVersion.delete(version));
      this.byVersion.set(version, pending);
    }
    return pending;
  }

  private async load(node: Redis, version: string): Promise<ConsoleCatalogue> {
    // The version names the file, so only a plain one may.
    const file = /^[0-9A-Za-z._-]{1,32}$/.test(version)
      ? new JsonFile(
          join(this.home, 'console-commands', `redis-${version}.json`),
          CatalogueFileSchema,
          () => ({ source: 'server' as const, version, commands: [] }),
          homeLock(this.home),
        )
      : undefined;
    const cached = await file?.read().catch(() => undefined);
    if (cached && cached.commands.length > 0 && cached.version === version) return cached;
    let docs: unknown;
    try {
      docs = await node.call('COMMAND', 'DOCS');
    } catch {
      // Before 7.0 there is no COMMAND DOCS: the snapshot describes what such a server has, near enough.
      return this.snapshot();
    }
    const catalogue = buildCatalogue('server', version, docs, await node.call('COMMAND', 'INFO'));
    await file?.write(catalogue).catch(() => undefined);
    return catalogue;
  }
}
