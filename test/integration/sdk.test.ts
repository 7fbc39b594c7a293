import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect, isSwarmdeckError } from '../../src/main/sdk';
import { bed, ROOT } from '../support/bed';

describe('SDK', () => {
  it('connects an agent process to the cluster like a profile would', async () => {
    const sd = await connect({ cluster: `127.0.0.1:${bed.cluster.ports[0]}` });
    expect(await sd.ping()).toBeGreaterThan(0);
    await sd.redis.set('sd:sdk:hello', 'world');
    expect(await sd.redis.get('sd:sdk:hello')).toBe('world');
    await sd.close();
  });

  it('authenticates with an ACL user and applies the read-only guard', async () => {
    const sd = await connect({ url: `redis://reader@127.0.0.1:${bed.acl.port}`, password: bed.acl.users.reader, readOnly: true });
    await expect(sd.redis.set('k', 'v')).rejects.toMatchObject({ code: 'READ_ONLY' });
    await sd.close();
    const failure = await connect({ url: `redis://reader@127.0.0.1:${bed.acl.port}`, password: 'wrong' }).catch((e: unknown) => e);
    expect(isSwarmdeckError(failure) && failure.code).toBe('AUTH_FAILED');
  });

  it('is published as swarmdeck/sdk', async () => {
    expect(existsSync(join(ROOT, 'out/main/sdk.js')), 'run "npm run build" first').toBe(true);
    expect(existsSync(join(ROOT, 'out/types/main/sdk.d.ts'))).toBe(true);
    // Resolved at run time through package.json "exports", as an agent process would.
    const specifier = 'swarmdeck/sdk';
    const sdk = (await import(specifier)) as { connect: unknown };
    expect(typeof sdk.connect).toBe('function');
  });
});
