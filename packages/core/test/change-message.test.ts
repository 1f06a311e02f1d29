import { parseChangeMessage } from '@jobstore/core';
import { describe, expect, it } from 'vitest';

describe('parseChangeMessage', () => {
  it('reads single changes and batches of releases', () => {
    expect(parseChangeMessage('{"t":"added","id":"a","n":5}')).toStrictEqual([{ type: 'added', jobId: 'a', nextRunTime: 5 }]);
    expect(parseChangeMessage('{"t":"updated","id":"a","n":null}')).toStrictEqual([{ type: 'updated', jobId: 'a', nextRunTime: null }]);
    expect(parseChangeMessage('{"t":"removed","id":"a"}')).toStrictEqual([{ type: 'removed', jobId: 'a' }]);
    expect(parseChangeMessage('{"t":"cleared"}')).toStrictEqual([{ type: 'cleared' }]);
    expect(parseChangeMessage('{"t":"batch","r":[["a",7,false],["b",null,true],["c",null,false]]}')).toStrictEqual([
      { type: 'released', jobId: 'a', nextRunTime: 7 },
      { type: 'removed', jobId: 'b' },
      { type: 'released', jobId: 'c', nextRunTime: null },
    ]);
  });

  it('ignores anything else rather than throwing', () => {
    for (const message of ['', 'nope', '{}', '{"t":"added"}', '{"t":"added","id":5}', '{"t":"added","id":"a","n":"soon"}', '{"t":"batch","r":[[1,2,3],"x"]}', '[]', 'null']) {
      expect(parseChangeMessage(message)).toStrictEqual([]);
    }
  });
});
