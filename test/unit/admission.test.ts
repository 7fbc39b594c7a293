import { describe, expect, it } from 'vitest';
import { Admission, type Lane, type Ticket } from '../../src/main/hosts/web/admission';

/** A call that runs until the test ends it, and can step aside meanwhile. */
function pending(admission: Admission, lane: Lane, profile: string, started: string[], name: string) {
  let end: () => void = () => undefined;
  let ticket: Ticket | undefined;
  admission.submit({
    lane,
    profile,
    ready: () => true,
    run: (t) => {
      ticket = t;
      started.push(name);
      return new Promise<void>((resolve) => (end = resolve));
    },
  });
  return { end: () => end(), stepAside: () => ticket?.stepAside() };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('web host admission', () => {
  it('gives the place of a call that stepped aside to the next one, and still counts it in flight', async () => {
    const admission = new Admission({ inFlightPerSocket: 3, runningPerSocket: 1, runningPerProfile: 1 });
    const lane = admission.lane();
    const started: string[] = [];
    const blocker = pending(admission, lane, 'p', started, 'blocker');
    const next = pending(admission, lane, 'p', started, 'next');
    expect(started).toEqual(['blocker']);
    blocker.stepAside();
    blocker.stepAside();
    expect(started).toEqual(['blocker', 'next']);
    expect(lane).toEqual({ running: 1, waiting: 0, aside: 1 });
    pending(admission, lane, 'p', started, 'third');
    expect(admission.full(lane)).toBe(true);
    blocker.end();
    await settle();
    expect(lane).toEqual({ running: 1, waiting: 1, aside: 0 });
    next.end();
    await settle();
    expect(started).toEqual(['blocker', 'next', 'third']);
  });

  it("never starts a call whose socket is no longer ready, and forgets a dropped socket's waiting calls", async () => {
    const admission = new Admission({ inFlightPerSocket: 10, runningPerSocket: 1, runningPerProfile: 8 });
    const lane = admission.lane();
    const started: string[] = [];
    const gone = admission.lane();
    admission.submit({ lane: gone, profile: 'p', ready: () => false, run: async () => void started.push('never') });
    expect(gone).toEqual({ running: 0, waiting: 0, aside: 0 });
    const first = pending(admission, lane, 'p', started, 'first');
    pending(admission, lane, 'p', started, 'second');
    admission.drop(lane);
    expect(lane.waiting).toBe(0);
    first.end();
    await settle();
    expect(started).toEqual(['first']);
  });
});
