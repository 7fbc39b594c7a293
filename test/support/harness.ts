/** What the coordination tests (locks, state, messaging) each wrote for themselves: polling, refusals, client bookkeeping. */
import { once } from 'node:events';
import type { Cluster, Redis } from 'ioredis';
import { SwarmdeckError } from '../../src/shared/errors';
import { sleep } from './sleep';

/** Polls until `probe` gives a value; fails with `what` after `timeoutMs` rather than hanging the run. */
export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * Resolves once a client has passed its ready check. Subscribe on a raw client only after it:
 * a SUBSCRIBE sent during the handshake fails ioredis 5's ready check (ioredis #2037).
 */
export async function ready(client: Redis | Cluster): Promise<void> {
  if (client.status !== 'ready') await once(client, 'ready');
}

/** The SwarmdeckError a call refused with; any other error, or none, fails the test. */
export async function refusal(promise: Promise<unknown> | (() => unknown)): Promise<SwarmdeckError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (error instanceof SwarmdeckError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** Every client a describe block opens, so its afterAll can disconnect them all. */
export function clientPool<C extends { disconnect(): void }>(connect: () => C) {
  const clients: C[] = [];
  return {
    open: (): C => {
      const c = connect();
      clients.push(c);
      return c;
    },
    /** A client made elsewhere (a duplicate, a custom connection) that the pool should close too. */
    track: <T extends C>(c: T): T => {
      clients.push(c);
      return c;
    },
    disconnect: (): void => {
      for (const c of clients) c.disconnect();
    },
  };
}
