// The comparison harness itself: its ledgers, its counting, its charts, and its workloads run
// end to end on real servers with forked consumers. Imports the built harness (bench/dist), as
// the consumers it forks are built files.
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { barChart } from '../dist/compare/charts.js';
import { CONTENDERS } from '../dist/compare/contenders/index.js';
import { LedgerReader, LedgerWriter, tally } from '../dist/compare/ledger.js';
import { dispatch, growth } from '../dist/compare/workloads.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'jobstore-bench-test-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('ledgers', () => {
  it('a reader takes in only whole lines, across files, each once, as they grow', () => {
    const dir = tempDir();
    const reader = new LedgerReader(dir);
    appendFileSync(join(dir, 'a.tsv'), 'job-1\t100.5\njob-2\t10');
    expect(reader.runs()).toStrictEqual([{ id: 'job-1', at: 100.5 }]);
    appendFileSync(join(dir, 'a.tsv'), '1\n');
    appendFileSync(join(dir, 'b.tsv'), 'job-3\t102\n');
    expect(reader.runs()).toStrictEqual([
      { id: 'job-1', at: 100.5 },
      { id: 'job-2', at: 101 },
      { id: 'job-3', at: 102 },
    ]);
    expect(reader.runs()).toHaveLength(3);
  });

  it('a writer keeps each run with the time it was recorded, and a flush makes them readable', () => {
    const dir = tempDir();
    const writer = new LedgerWriter(join(dir, 'w.tsv'));
    const before = performance.timeOrigin + performance.now();
    for (const id of ['x', 'y', 'z']) writer.record(id);
    const reader = new LedgerReader(dir);
    writer.flush();
    const runs = reader.runs();
    expect(runs.map((run) => run.id)).toStrictEqual(['x', 'y', 'z']);
    for (const run of runs) expect(run.at).toBeGreaterThanOrEqual(before);
  });

  it('tally counts repeats, misses and strays, and keeps each job first start', () => {
    const counted = tally(
      ['a', 'b', 'c'],
      [
        { id: 'a', at: 1 },
        { id: 'b', at: 2 },
        { id: 'a', at: 3 },
        { id: 'stray', at: 4 },
      ],
    );
    expect(counted).toMatchObject({ duplicates: 1, missed: 1, unexpected: 1 });
    expect([...counted.first]).toStrictEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });
});

describe('charts', () => {
  const widths = (svg: string): number[] => [...svg.matchAll(/<rect x="\d+" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]));

  it('draws a bar per value in proportion, escapes labels, and writes a note where there is no value', () => {
    const svg = barChart({
      title: 'A <b> & c',
      subtitle: 'per second',
      format: (v) => `${v}/s`,
      bars: [
        { label: 'jobstore <x>', value: 200, jobstore: true },
        { label: 'peer', value: 100, jobstore: false },
        { label: 'absent', value: 0, jobstore: false, note: 'not run' },
      ],
    });
    expect(svg).toContain('A &lt;b&gt; &amp; c');
    expect(svg).toContain('jobstore &lt;x&gt;');
    expect(svg).toContain('not run');
    const [ours, theirs, ...rest] = widths(svg);
    expect(rest).toStrictEqual([]);
    expect(ours).toBeCloseTo(2 * (theirs ?? 0), 0);
  });

  it('on a log scale, bars still grow with their values', () => {
    const svg = barChart({ title: 't', subtitle: 's', format: String, log: true, bars: [1, 10, 1000].map((value) => ({ label: `v${value}`, value, jobstore: false })) });
    const [a = 0, b = 0, c = 0] = widths(svg);
    expect(a).toBeLessThan(b);
    expect(b).toBeLessThan(c);
    expect(svg).toContain('(log scale)');
  });
});

const contender = (name: string) => {
  const found = CONTENDERS.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no contender ${name}`);
  return found;
};

// Real servers, forked consumers: the harness counts every run of jobstore and of a peer.
describe('workloads, end to end', () => {
  it.each(['jobstore (Redis)', 'BullMQ', 'jobstore (PostgreSQL)', 'pg-boss'])(
    '%s: 300 due jobs from 2 processes, each counted once',
    async (name) => {
      const c = contender(name);
      const client = await c.open();
      try {
        const result = await dispatch(c, client, 300, 2, 300);
        expect(result).toMatchObject({ processes: 2, jobs: 300, duplicates: 0, missed: 0 });
        expect(result.perSecond).toBeGreaterThan(0);
        await client.reset();
      } finally {
        await client.close();
      }
    },
    120_000,
  );

  it('jobstore (PostgreSQL): pickup beside a loaded backlog, every probe seen', async () => {
    const c = contender('jobstore (PostgreSQL)');
    const client = await c.open();
    try {
      const result = await growth(c, client, 1000, 3, 300);
      expect(result).toMatchObject({ backlog: 1000, missed: 0 });
      expect(result.p50).toBeGreaterThan(0);
      expect(result.p50).toBeLessThan(5000);
      await client.reset();
    } finally {
      await client.close();
    }
  }, 120_000);
});
