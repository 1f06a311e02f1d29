import { BaseJobStore, InvalidArgumentError, MAX_OWNER_LENGTH, SerializationError, type JobData } from '@jobstore/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { RecordingDriver } from './support/recording-driver.js';

const NOW = new Date(1_000_000);
const cursorOf = (position: unknown): string => Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');

async function refusal(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('the call was not refused');
}

describe('BaseJobStore: refused input never reaches the backend', () => {
  let driver: RecordingDriver;
  let store: BaseJobStore;

  beforeEach(async () => {
    driver = new RecordingDriver();
    store = new BaseJobStore(driver);
    await store.addJob({ id: 'due', nextRunTime: new Date(0), data: { n: 1 } });
    driver.calls.length = 0;
  });

  it('refuses a lease owner with a NUL or a lone surrogate in every lease call, as ids are refused, and writes nothing', async () => {
    for (const owner of ['a\u0000b', 'x\ud800y', '\udfff', 'end\ud83d']) {
      const calls: [string, () => Promise<unknown>][] = [
        ['acquireDueJobs', () => store.acquireDueJobs({ owner, now: NOW, leaseMs: 1000, limit: 10 })],
        ['releaseJob', () => store.releaseJob('due', owner, { remove: true })],
        ['releaseJobs', () => store.releaseJobs(owner, [{ id: 'due', remove: true }])],
        ['extendLeases', () => store.extendLeases(['due'], owner, 1000, NOW)],
      ];
      for (const [operation, call] of calls) {
        const error = await refusal(call);
        expect(error, `${operation} with owner ${JSON.stringify(owner)}`).toBeInstanceOf(InvalidArgumentError);
        expect((error as Error).message).toBe(`${operation}: owner ${JSON.stringify(owner)} contains a NUL character or a lone surrogate, which databases cannot store`);
      }
    }
    expect(driver.calls).toStrictEqual([]);
    expect(driver.rows.get('due')?.acquiredBy).toBeNull();
  });

  it('counts an owner in UTF-16 code units, up to 255, with a message that says so', async () => {
    const emoji = '\u{1F600}';
    const longest = `${emoji.repeat(127)}x`;
    expect(longest.length).toBe(MAX_OWNER_LENGTH);
    expect((await store.acquireDueJobs({ owner: longest, now: NOW, leaseMs: 1000, limit: 10 })).map((job) => job.acquiredBy)).toStrictEqual([longest]);
    await store.releaseJob('due', longest, { nextRunTime: new Date(0) });
    driver.calls.length = 0;
    // 128 emoji are 128 code points but 256 code units: one too many.
    const error = await refusal(() => store.acquireDueJobs({ owner: emoji.repeat(128), now: NOW, leaseMs: 1000, limit: 10 }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/^acquireDueJobs: owner must be a non-empty string of at most 255 UTF-16 code units, got "/);
    expect(driver.calls).toStrictEqual([]);
  });

  it('an owner with astral characters (well-formed UTF-16) holds and releases its lease under exactly its name', async () => {
    const owner = 'worker \u{1F600} é';
    expect((await store.acquireDueJobs({ owner, now: NOW, leaseMs: 1000, limit: 10 })).map((job) => job.acquiredBy)).toStrictEqual([owner]);
    expect(await store.extendLeases(['due'], owner, 5000, NOW)).toStrictEqual(['due']);
    await store.releaseJob('due', owner, { remove: true });
    expect(await store.lookupJob('due')).toBeNull();
  });

  it('refuses a forged cursor whose id breaks the id rule or whose time is out of range, without asking the backend', async () => {
    const forged: [unknown, RegExp][] = [
      [[1000, 'a\u0000'], /job id it names "a\\u0000" contains a NUL character or a lone surrogate/],
      [[1000, 'x\ud800y'], /lone surrogate/],
      [[null, ''], /job id it names must not be empty/],
      [[0, 'x'.repeat(513)], /longer than 512 code points/],
      [[1000, 7], /job id it names must be a string, got number/],
      [[-1, 'a'], /its time is not a time a job can have/],
      [[253402300800000, 'a'], /its time is not a time a job can have/],
      [[1.5, 'a'], /its time/],
      [['1000', 'a'], /its time/],
      [[1000], /^listJobs: cursor is not one that listJobs returned$/],
      [{ t: 1000, id: 'a' }, /^listJobs: cursor is not one that listJobs returned$/],
    ];
    for (const [position, message] of forged) {
      const error = await refusal(() => store.listJobs({ cursor: cursorOf(position) }));
      expect(error, JSON.stringify(position)).toBeInstanceOf(InvalidArgumentError);
      expect((error as Error).message, JSON.stringify(position)).toMatch(message);
    }
    expect(await refusal(() => store.listJobs({ cursor: 'not base64 JSON!' }))).toBeInstanceOf(InvalidArgumentError);
    expect(driver.calls).toStrictEqual([]);
  });

  it('takes every cursor listJobs made, from the first job to the last, and positions in range that no job has', async () => {
    await store.addJob({ id: '\u{1F600}', nextRunTime: null });
    await store.addJob({ id: 'last', nextRunTime: new Date(8_000_000) });
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<BaseJobStore['listJobs']>> = await store.listJobs({ limit: 1, cursor });
      ids.push(...page.jobs.map((job) => job.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(ids).toStrictEqual(['due', 'last', '\u{1F600}']);
    // Well-formed positions no job sits at are still positions: from 1970 and from 9999-12-31.
    expect((await store.listJobs({ cursor: cursorOf([0, 'due']) })).jobs.map((job) => job.id)).toStrictEqual(['last', '\u{1F600}']);
    expect((await store.listJobs({ cursor: cursorOf([253402300799999, 'z']) })).jobs.map((job) => job.id)).toStrictEqual(['\u{1F600}']);
  });

  it('addJob refuses data null with SerializationError, as updateJob does, and writes nothing', async () => {
    const added = await refusal(() => store.addJob({ id: 'null-data', nextRunTime: null, data: null as unknown as JobData }));
    expect(added).toBeInstanceOf(SerializationError);
    expect((added as Error).message).toBe('cannot serialize job data of job "null-data": must be a plain object, got null');
    const updated = await refusal(() => store.updateJob('due', { data: null as unknown as JobData }));
    expect(updated).toBeInstanceOf(SerializationError);
    expect(driver.calls).toStrictEqual([]);
    expect(driver.rows.has('null-data')).toBe(false);
  });

  it('addJob without data, or with data undefined, stores {}', async () => {
    expect((await store.addJob({ id: 'absent', nextRunTime: null })).data).toStrictEqual({});
    expect((await store.addJob({ id: 'undefined', nextRunTime: null, data: undefined as unknown as JobData })).data).toStrictEqual({});
    expect((await store.lookupJob('undefined'))?.data).toStrictEqual({});
  });

  it('refuses an object that only pretends to be a Date as a time, or inside data, with a typed error', async () => {
    const fake = Object.create(Date.prototype) as Date;
    const asTime = await refusal(() => store.addJob({ id: 'fake-time', nextRunTime: fake }));
    expect(asTime).toBeInstanceOf(InvalidArgumentError);
    expect((asTime as Error).message).toBe('addJob: nextRunTime must be a Date, got object');
    const asData = await refusal(() => store.addJob({ id: 'fake-data', nextRunTime: null, data: { when: fake } }));
    expect(asData).toBeInstanceOf(SerializationError);
    expect((asData as SerializationError).path).toBe('when');
    expect(await refusal(() => store.acquireDueJobs({ owner: 'w', now: fake, leaseMs: 1000, limit: 1 }))).toBeInstanceOf(InvalidArgumentError);
    expect(driver.calls).toStrictEqual([]);
  });
});
