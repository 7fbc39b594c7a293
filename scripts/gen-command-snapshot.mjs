#!/usr/bin/env node
// Writes src/shared/redis-commands.snapshot.json from a Redis server's own replies to
// `COMMAND DOCS` and `COMMAND INFO`, so the console can complete and classify commands before
// a connection exists or against a server too old to answer COMMAND DOCS. It stores the
// server's replies as they are (RESP arrays as JSON arrays) rather than redis-doc's
// commands.json, whose licence (CC BY-NC-SA) forbids shipping it.
// Usage: node scripts/gen-command-snapshot.mjs [port] [host]   (default: the test bed's standalone,
// SWARMDECK_TEST_PORT_BASE or 7379, started with `node scripts/test-redis.mjs start`).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';

const ROOT = resolve(import.meta.dirname, '..');
const port = Number(process.argv[2] ?? process.env.SWARMDECK_TEST_PORT_BASE ?? 7379);
const host = process.argv[3] ?? '127.0.0.1';

const client = new Redis({ host, port, lazyConnect: true, maxRetriesPerRequest: 1 });
try {
  await client.connect();
  const info = await client.info('server');
  const version = /redis_version:([^\r\n]+)/.exec(info)?.[1];
  if (!version) throw new Error(`${host}:${port} did not report redis_version`);
  const docs = await client.call('COMMAND', 'DOCS');
  const table = await client.call('COMMAND', 'INFO');
  const snapshot = { version, generatedFrom: `redis-server ${version} (COMMAND DOCS, COMMAND INFO)`, docs, info: table };
  const file = resolve(ROOT, 'src/shared/redis-commands.snapshot.json');
  writeFileSync(file, `${JSON.stringify(snapshot)}\n`);
  console.log(`wrote ${file}: Redis ${version}, ${table.length} commands`);
} finally {
  client.disconnect();
}
