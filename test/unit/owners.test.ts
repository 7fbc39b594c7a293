import { describe, expect, it } from 'vitest';
import { HELD_LIMITS, Owner, Owners } from '../../src/main/owners';
import { SwarmdeckError } from '../../src/shared/errors';

const refusal = (fn: () => unknown): SwarmdeckError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof SwarmdeckError) return error;
    throw error;
  }
  throw new Error('not refused');
};

describe('owners', () => {
  it('refuses past the per-owner cap, naming it, and frees a place when one ends', () => {
    const owners = new Owners();
    const tab = new Owner('web:1', 'browser tab');
    const { perOwner } = HELD_LIMITS['messages.watch'];
    const holds = Array.from({ length: perOwner }, () => owners.reserve(tab, 'messages.watch', 'p'));
    const refused = refusal(() => owners.reserve(tab, 'messages.watch', 'p'));
    expect(refused).toMatchObject({ code: 'UNAVAILABLE', details: { limit: 'messages.watch', max: perOwner, per: 'owner' } });
    expect(refused.message).toContain(`${perOwner}`);
    // Another kind, another owner: not counted against this one.
    owners.reserve(tab, 'swarms.watch', 'p');
    owners.reserve(new Owner('web:2', 'browser tab'), 'messages.watch', 'p');
    holds[0]?.end();
    holds[0]?.end();
    expect(owners.count('messages.watch', { owner: tab })).toBe(perOwner - 1);
    owners.reserve(tab, 'messages.watch', 'p');
  });

  it('refuses past the per-profile cap over every owner', () => {
    const owners = new Owners();
    const { perProfile, perOwner } = HELD_LIMITS['console.monitor'];
    for (let i = 0; i < perProfile; i += 1) owners.reserve(new Owner(`web:${i}`, 'browser tab'), 'console.monitor', 'p');
    expect(refusal(() => owners.reserve(new Owner('web:x', 'browser tab'), 'console.monitor', 'p'))).toMatchObject({
      details: { limit: 'console.monitor', max: perProfile, per: 'profile' },
    });
    // Another profile has its own budget.
    for (let i = 0; i < perOwner; i += 1) owners.reserve(new Owner('web:y', 'browser tab'), 'console.monitor', 'q');
  });

  it('stops what an owner holds on release, and what was still being made as soon as it exists', async () => {
    const owners = new Owners();
    const tab = new Owner('web:1', 'browser tab');
    const stopped: string[] = [];
    const made = owners.reserve(tab, 'messages.watch', 'p');
    made.onRelease(() => stopped.push('made'));
    const failing = owners.reserve(tab, 'messages.watch', 'p');
    failing.onRelease(() => {
      throw new Error('already gone');
    });
    const making = owners.reserve(tab, 'messages.watch', 'p');
    await tab.release();
    expect(stopped).toEqual(['made']);
    expect(owners.count('messages.watch')).toBe(0);
    // The watch that was being subscribed when the tab closed is stopped once it exists.
    making.onRelease(() => stopped.push('late'));
    await Promise.resolve();
    expect(stopped).toEqual(['made', 'late']);
    // A released owner starts nothing more.
    expect(refusal(() => owners.reserve(tab, 'messages.watch', 'p'))).toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/closed/),
    });
  });
});
