import { InvalidArgumentError, type LogFields } from '@jobstore/core';
import { createStore, MemoryJobStore } from '@jobstore/store-memory';
import { describe, expect, it, vi } from 'vitest';

describe('the logger option (every store takes it, from core)', () => {
  it("createStore's options carry it to the store: a listener that throws is reported through it", async () => {
    const lines: [string, LogFields | undefined][] = [];
    const store = createStore({ namespace: 'logged', logger: { warn: () => undefined, error: (message, fields) => lines.push([message, fields]) } });
    store.subscribe(() => {
      throw new Error('listener bug');
    });
    await store.addJob({ id: 'a', nextRunTime: new Date(0) });
    await vi.waitFor(() => expect(lines).toHaveLength(1));
    expect(lines[0]?.[0]).toBe('a listener of store "memory:logged" threw on an added event: listener bug');
    expect(lines[0]?.[1]).toMatchObject({ store: 'memory:logged', event: 'added' });
    await store.close();
  });

  it('is refused with InvalidArgumentError when it is not a logger', () => {
    expect(() => new MemoryJobStore({ logger: { warn: () => undefined } as never })).toThrow(InvalidArgumentError);
    expect(() => new MemoryJobStore({ logger: { warn: () => undefined } as never })).toThrow(/^MemoryJobStore: logger must have warn and error methods/);
  });
});
