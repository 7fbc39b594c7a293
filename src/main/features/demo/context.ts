import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '../../redis/client-options';
import type { Consensus } from '../swarms/consensus';
import type { SwarmRegistry } from '../swarms/swarm-registry';
import type { DemoReport } from './report';

/** What every piece of a running demo shares. */
export interface DemoContext {
  client: RedisClient;
  registry: SwarmRegistry;
  consensus: Consensus;
  report: DemoReport;
  log: (line: string) => void;
  /** Aborted when the demo ends; every loop and timer checks it. */
  stop: AbortSignal;
  /** Date.now() when the agents started: misbehaviours are scheduled from it. */
  started: number;
  /** A short stamp of this run, in swarm ids and the worker's holder name. */
  run: string;
}

/** Runs `work` every `ms` until the demo stops; one failed round is logged, not fatal. */
export function every(ctx: DemoContext, loops: Promise<void>[], ms: number, work: () => Promise<void>): void {
  loops.push(
    (async () => {
      while (!ctx.stop.aborted) {
        await work().catch((error: unknown) => ctx.log(`demo: ${error instanceof Error ? error.message : String(error)}`));
        await sleep(ms, undefined, { signal: ctx.stop }).catch(() => undefined);
      }
    })(),
  );
}
