import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../src/shared/contract';
import { bed, harness, standalone } from '../support/bed';

/** Conditions of Redis itself reach the operator with a code and a sentence, never as INTERNAL. */
describe('Redis conditions as typed errors', () => {
  const h = harness();
  afterAll(() => h.services.dispose());

  const connected = async (name: string, commandTimeoutMs = 5000) => {
    const profile = await h.api.call('profiles.save', { profile: standalone({ name, commandTimeoutMs }) });
    await h.api.call('connections.connect', { profileId: profile.id });
    return profile;
  };
  const failure = (envelope: Envelope) => (envelope.ok ? undefined : envelope.error);

  it('a command that outlives the timeout is TIMEOUT, naming the connection', async () => {
    const profile = await connected('slow answers', 300);
    const admin = new Redis(bed.standalone.port, '127.0.0.1');
    try {
      // The server holds every client's commands for a second, like a blocked server would.
      await admin.call('CLIENT', 'PAUSE', '1000', 'ALL');
      const error = failure(await h.dispatch('redis.ping', { profileId: profile.id }));
      expect(error?.code).toBe('TIMEOUT');
      expect(error?.message).toContain(`profile "${profile.id}"`);
      expect(error?.message).toMatch(/command timeout/);
    } finally {
      await admin.call('CLIENT', 'UNPAUSE');
      admin.disconnect();
    }
  });

  it('a connection closed under a call is DISCONNECTED, with what to do', async () => {
    const profile = await connected('closed under us');
    h.services.connections.session(profile.id).client.disconnect();
    const error = failure(await h.dispatch('redis.ping', { profileId: profile.id }));
    expect(error?.code).toBe('DISCONNECTED');
    expect(error?.message).toContain(`profile "${profile.id}"`);
    expect(error?.message).toMatch(/reconnect/);

    // Connecting again replaces the dead session instead of answering with its failed state.
    const again = await h.api.call('connections.connect', { profileId: profile.id });
    expect(again.state).toBe('connected');
    expect((await h.dispatch('redis.ping', { profileId: profile.id })).ok).toBe(true);
  });
});
