// The core alone: triggers and the codec, with no store.
import { CronTrigger, decodeData, encodeData, InvalidTriggerError } from '@jobstore/core';

function check(condition: boolean, step: string): void {
  if (!condition) throw new Error(`packaging check failed: ${step}`);
}

const steps: string[] = [];
// 02:30 does not exist in Berlin on 2030-03-31 (DST starts): it fires that day, moved forward by the gap (03:30 CEST).
const trigger = new CronTrigger({ hour: 2, minute: 30, timezone: 'Europe/Berlin' });
const next = trigger.getNextFireTime(null, new Date('2030-03-30T12:00:00Z'));
check(next?.toISOString() === '2030-03-31T01:30:00.000Z', `cron moves a missing wall time forward by the gap (got ${next?.toISOString()})`);
steps.push('cron');

const refused = (() => {
  try {
    return new CronTrigger({ hour: 25 });
  } catch (error) {
    return error;
  }
})();
check(refused instanceof InvalidTriggerError, 'an hour of 25 throws InvalidTriggerError');
steps.push('refused');

const data = { when: new Date(0), big: 2n ** 70n, tags: new Set(['a']), nested: { map: new Map([[1, 'one']]) } };
const back = decodeData(encodeData(data)) as typeof data;
check(back.when.getTime() === 0 && back.big === 2n ** 70n && back.tags.has('a') && back.nested.map.get(1) === 'one', 'the codec round-trips Dates, BigInts, Sets and Maps');
steps.push('codec');
console.log(JSON.stringify({ steps }));
