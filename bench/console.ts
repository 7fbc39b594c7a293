/**
 * A console round trip (`console.exec "GET key"` through the real dispatch: parse, catalogue
 * lookup, guard, send, typed reply tree, history) vs a direct ioredis GET, in the same run
 * against the same Redis, rounds alternating so machine drift hits both alike. In process, as
 * the CLI calls it; the window adds its transport on top. Prints one JSON line.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { dispatchFor } from '../src/main/api/handlers';
import { percentile } from '../src/main/features/health/latency-window';
import { createServices } from '../src/main/services';
import { defaultProfileInput } from '../src/shared/model/profile';
import { bed } from '../test/support/bed';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const PER_ROUND = Number(process.env.BENCH_PER_ROUND ?? 1000);

const services = createServices({ home: mkdtempSync(join(tmpdir(), 'sd-bench-console-')), env: {} });
const dispatch = dispatchFor(services);
const profile = await services.profiles.save({
  ...defaultProfileInput(),
  name: 'bench-console',
  topology: { kind: 'standalone', host: '127.0.0.1', port: bed.standalone.port, db: 0 },
});
await services.connections.connect(profile.id);
const direct = new Redis(bed.standalone.port, '127.0.0.1');
await direct.set('bench:console:key', 'v'.repeat(64));

const consoleMs: number[] = [];
const directMs: number[] = [];
async function timed(into: number[], call: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < PER_ROUND; i++) {
    const t = performance.now();
    await call();
    into.push(performance.now() - t);
  }
}

const input = { profileId: profile.id, line: 'GET bench:console:key' };
// Warm-up: the catalogue is read once per server version, not per command.
await dispatch('console.exec', input);
for (let round = 0; round < ROUNDS; round++) {
  await timed(consoleMs, async () => {
    const envelope = await dispatch('console.exec', input);
    if (!envelope.ok) throw new Error(`console.exec failed: ${envelope.error.message}`);
  });
  await timed(directMs, () => direct.get('bench:console:key'));
}

function figures(t: number[]) {
  const sorted = [...t].sort((a, b) => a - b);
  const r = (v: number | undefined) => Math.round((v ?? 0) * 1000) / 1000;
  return { p50Ms: r(percentile(sorted, 50)), p99Ms: r(percentile(sorted, 99)), samples: t.length };
}
const c = figures(consoleMs);
const d = figures(directMs);
console.log(
  JSON.stringify({
    bench: 'console',
    command: 'GET (64-byte value)',
    console: c,
    direct: d,
    overheadP50Ms: Math.round((c.p50Ms - d.p50Ms) * 1000) / 1000,
    ratioP50: Math.round((c.p50Ms / d.p50Ms) * 100) / 100,
  }),
);
direct.disconnect();
await services.dispose();
