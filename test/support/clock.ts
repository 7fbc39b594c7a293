import type { Clock } from '../../src/shared/clock';

/** A clock that stands still until a test moves it: time passes without sleeping. */
export class ManualClock implements Clock {
  constructor(private current = Date.now()) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    if (ms < 0) throw new Error('A clock only moves forward');
    this.current += ms;
  }
}
