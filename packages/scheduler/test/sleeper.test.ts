import { describe, expect, it } from 'vitest';
import { Sleeper } from '../src/dispatch/sleeper.js';

const clock = (): number => Date.now();

describe("the dispatch loop's sleeper", () => {
  it('sleeps until the time asked, within a few milliseconds, not before', async () => {
    const sleeper = new Sleeper(clock, true);
    const start = Date.now();
    await sleeper.sleep(60);
    const slept = Date.now() - start;
    expect(slept).toBeGreaterThanOrEqual(60);
    // Generous: a loaded machine delays timers; the bound only shows it did not sleep on to some later time.
    expect(slept).toBeLessThan(60 + 1000);
  });

  it('wake() ends a sleep at once; after stop() every sleep returns at once', async () => {
    const sleeper = new Sleeper(clock, true);
    const start = Date.now();
    const sleeping = sleeper.sleep(10_000);
    setTimeout(() => sleeper.wake(), 20);
    await sleeping;
    expect(Date.now() - start).toBeLessThan(1000);
    sleeper.stop();
    const again = Date.now();
    await sleeper.sleep(10_000);
    expect(Date.now() - again).toBeLessThan(50);
  });

  it('a run time heard while asleep wakes it only when it comes before the planned wake-up', async () => {
    const sleeper = new Sleeper(clock, true);
    const start = Date.now();
    const sleeping = sleeper.sleep(3000);
    sleeper.heard(Date.now() + 10_000); // after the planned wake-up: no reason to wake
    let early = 0;
    setTimeout(() => {
      early = Date.now();
      sleeper.heard(Date.now() + 5);
    }, 20);
    await sleeping;
    expect(early).toBeGreaterThan(0);
    expect(Date.now() - start).toBeLessThan(2000);
  });

  it('a run time heard while awake shortens the next sleep (the loop may have read an older next run time)', async () => {
    const sleeper = new Sleeper(clock, true);
    sleeper.heard(Date.now() + 30);
    const start = Date.now();
    await sleeper.sleep(5000);
    expect(Date.now() - start).toBeLessThan(1000);
  });

  it("follows the scheduler's clock: with a clock an hour ahead it still sleeps the time asked; a clock that stands still does not make it spin forever", async () => {
    const ahead = new Sleeper(() => Date.now() + 3_600_000, true);
    let start = Date.now();
    await ahead.sleep(50);
    expect(Date.now() - start).toBeGreaterThanOrEqual(48);
    const frozen = new Sleeper(() => 0, true);
    start = Date.now();
    await frozen.sleep(50);
    expect(Date.now() - start).toBeLessThan(1000);
  });
});
