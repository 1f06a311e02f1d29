import { CODEC_VERSION, encodeData, InvalidArgumentError, type StoredJob } from '@jobstore/core';
import { fromDocument, MongoJobStore, toDocument } from '@jobstore/store-mongo';
import { describe, expect, it } from 'vitest';
import { candidatesFilter, claimOne, dueFilter, eventOf, extendWrite, pausedFilter, releaseFilter, releaseUpdate, scheduledFilter, updateWrite } from '../src/documents.js';

// The query and update documents the store sends, by their exact shape: the store is thin over
// the driver, so these are what a MongoDB server is asked to do.
const row: StoredJob = { id: 'a.b', nextRunTime: 1000, data: encodeData({ $where: 1, 'x.y': { $set: 2 } }), version: 3, acquiredBy: 'w', acquiredUntil: 5000 };

describe('documents', () => {
  it('a job is one document: the id as a string _id, the data as the codec text, the wake time computed', () => {
    expect(toDocument(row, 'nonce')).toStrictEqual({ _id: 'a.b', n: 1000, d: row.data, v: 3, b: 'w', u: 5000, w: 5001, e: ['added', 1000, 'nonce'] });
    expect(toDocument({ ...row, acquiredBy: null, acquiredUntil: null }, 'x').w).toBe(1000);
    expect(toDocument({ ...row, nextRunTime: null }, 'x').w).toBeNull();
    // Keys with dots and dollars live inside a string, where MongoDB never reads them as paths or operators.
    expect(typeof toDocument(row, 'x').d).toBe('string');
    expect(JSON.parse(toDocument(row, 'x').d)).toMatchObject({ v: CODEC_VERSION });
  });

  it('reads back what it wrote, and turns a malformed document into an undecodable row instead of guessing', () => {
    expect(fromDocument(toDocument(row, 'x'))).toStrictEqual(row);
    expect(fromDocument({ _id: 'odd', n: 'soon', d: 42, v: 'one' })).toStrictEqual({ id: 'odd', nextRunTime: null, data: '', version: 0, acquiredBy: null, acquiredUntil: null });
  });

  it('due and listing filters follow (n, _id) order and continue strictly after a position', () => {
    expect(dueFilter(50, null)).toStrictEqual({ n: { $lte: 50 } });
    expect(dueFilter(50, { nextRunTime: 10, id: 'k' })).toStrictEqual({ $and: [{ n: { $lte: 50 } }, { $or: [{ n: { $gt: 10 } }, { n: 10, _id: { $gt: 'k' } }] }] });
    expect(scheduledFilter(null)).toStrictEqual({ n: { $ne: null } });
    expect(scheduledFilter({ nextRunTime: 10, id: 'k' })).toStrictEqual({ n: { $ne: null }, $or: [{ n: { $gt: 10 } }, { n: 10, _id: { $gt: 'k' } }] });
    expect(pausedFilter({ nextRunTime: 10, id: 'k' })).toStrictEqual({ n: null, _id: { $type: 'string' } });
    expect(pausedFilter({ nextRunTime: null, id: 'k' })).toStrictEqual({ n: null, _id: { $type: 'string', $gt: 'k' } });
  });

  it('a claim matches only a job still claimable, and writes owner and token as literals', () => {
    expect(candidatesFilter('w', 100, 'tok')).toStrictEqual({ n: { $lte: 100 }, $or: [{ b: null }, { b: 'w' }, { u: { $lt: 100 } }], t: { $ne: 'tok' } });
    const { filter, update } = claimOne('j', '$owner', 100, 900, 'tok', 'nonce');
    expect(filter).toStrictEqual({ _id: 'j', n: { $lte: 100 }, $or: [{ b: null }, { b: '$owner' }, { u: { $lt: 100 } }] });
    expect(update).toStrictEqual([
      { $set: { b: { $literal: '$owner' }, u: 900, t: { $literal: 'tok' }, e: ['claimed', '$n', { $literal: 'nonce' }] } },
      { $set: { w: { $cond: [{ $eq: ['$n', null] }, null, { $max: ['$n', { $add: ['$u', 1] }] }] } } },
    ]);
  });

  it('an update bumps the version, keeps the lease, and is conditioned on the expected version when given', () => {
    const { filter, update } = updateWrite('j', { nextRunTime: null, data: '$x' }, 4, 'n1');
    expect(filter).toStrictEqual({ _id: 'j', v: 4 });
    expect(update[0]).toStrictEqual({ $set: { v: { $add: ['$v', 1] }, n: { $literal: null }, d: { $literal: '$x' } } });
    expect(update[1]).toMatchObject({ $set: { e: ['updated', '$n', { $literal: 'n1' }] } });
    expect(updateWrite('j', {}, undefined, 'n').filter).toStrictEqual({ _id: 'j' });
  });

  it('a release is conditioned on the owner (and version) and clears the lease', () => {
    expect(releaseFilter('j', 'w', undefined)).toStrictEqual({ _id: 'j', b: 'w' });
    expect(releaseFilter('j', 'w', 2)).toStrictEqual({ _id: 'j', b: 'w', v: 2 });
    expect(releaseUpdate({ nextRunTime: 7, data: 'd' }, 'n')).toStrictEqual([
      { $set: { n: { $literal: 7 }, v: { $add: ['$v', 1] }, b: null, u: null, t: null, w: { $literal: 7 }, e: ['released', { $literal: 7 }, { $literal: 'n' }], d: { $literal: 'd' } } },
    ]);
    expect(extendWrite(['a', 'b'], 'w', 99, 'n').filter).toStrictEqual({ _id: { $in: ['a', 'b'] }, b: 'w' });
  });

  it('change-stream events become store events; claims and extensions say nothing', () => {
    expect(eventOf({ operationType: 'insert', documentKey: { _id: 'a' }, fullDocument: { e: ['added', 5, 'x'] } })).toStrictEqual([{ type: 'added', jobId: 'a', nextRunTime: 5 }]);
    expect(eventOf({ operationType: 'update', documentKey: { _id: 'a' }, updateDescription: { updatedFields: { e: ['released', null, 'x'] } } })).toStrictEqual([
      { type: 'released', jobId: 'a', nextRunTime: null },
    ]);
    expect(eventOf({ operationType: 'update', documentKey: { _id: 'a' }, updateDescription: { updatedFields: { e: ['claimed', 5, 'x'] } } })).toStrictEqual([]);
    expect(eventOf({ operationType: 'delete', documentKey: { _id: 'a' } })).toStrictEqual([{ type: 'removed', jobId: 'a' }]);
    expect(eventOf({ operationType: 'delete', documentKey: { _id: { jobstore: 'clear' } } })).toStrictEqual([]);
  });
});

describe('MongoJobStore options', () => {
  it.each([
    ['no connection', {}],
    ['a url and a db', { url: 'mongodb://127.0.0.1', db: {} }],
    ['a url of another scheme', { url: 'postgres://127.0.0.1' }],
    ['a client that is not a MongoClient', { client: {} }],
    ['a bad database name', { url: 'mongodb://127.0.0.1', database: 'a/b' }],
    ['a collection with a dot', { url: 'mongodb://127.0.0.1', collection: 'jobs.old' }],
    ['a collection starting with $', { url: 'mongodb://127.0.0.1', collection: '$cmd' }],
  ])('refuses %s with InvalidArgumentError, before connecting', (_, options) => {
    expect(() => new MongoJobStore(options as never)).toThrow(InvalidArgumentError);
  });

  it('names where it keeps the jobs', () => {
    expect(new MongoJobStore({ url: 'mongodb://127.0.0.1:27017', database: 'ops', collection: 'nightly' }).location).toBe('ops.nightly');
  });
});
