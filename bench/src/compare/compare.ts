/**
 * jobstore beside the schedulers a Node user would pick instead, in one run on this machine and
 * its servers: `node dist/compare/compare.js [--quick] [--write] [--only=<name>,...] [--workloads=recurring,dispatch,delay,growth]`.
 * With --write: bench/RESULTS.md, an SVG chart per workload in bench/results/charts/, and the
 * measurements in bench/results/compare.json, from which --render makes the page again and
 * --merge measures some contenders or workloads again in place.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { machine } from '../measure.js';
import { mariadbCeiling, pgbenchCeiling, redisCeiling } from '../ceilings.js';
import { MARIADB_URL, PG_URL, REDIS_URL } from '../urls.js';
import { barChart, type Bar } from './charts.js';
import type { Contender } from './contender.js';
import { CONTENDERS } from './contenders/index.js';
import { serverVersions } from './servers.js';
import { dispatch, fireDelay, FULL, growth, QUICK, recurring, type DelayResult, type DispatchResult, type GrowthResult, type RecurringResult } from './workloads.js';

const render = process.argv.includes('--render');
const RECORD = new URL('../../results/compare.json', import.meta.url);
/** A run's measurements, kept so the report can be made again (`--render`) with new notes or layout. */
interface RunRecord {
  readonly quick: boolean;
  readonly minutes: string;
  readonly date: string;
  readonly machine: string;
  readonly versions: string;
  readonly ceilings: Record<string, number>;
  readonly outcomes: Outcome[];
  /** Parts measured again after the run (`--merge`): the arguments and the date of each. */
  readonly reruns?: readonly { readonly args: string; readonly date: string }[];
}
const merge = process.argv.includes('--merge');
const recorded = render || merge ? (JSON.parse(readFileSync(RECORD, 'utf8')) as RunRecord) : undefined;
const quick = recorded?.quick ?? process.argv.includes('--quick');
const write = render || merge || process.argv.includes('--write');
const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice(7)
  .split(',');
const workloads = process.argv
  .find((arg) => arg.startsWith('--workloads='))
  ?.slice(12)
  .split(',') ?? ['recurring', 'dispatch', 'delay', 'growth'];
const sizes = quick ? QUICK : FULL;
const command = quick ? 'pnpm bench:quick' : 'pnpm bench'; // from the repository root

/** What the report needs of a contender (a run's record keeps it as JSON). */
type ContenderInfo = Pick<Contender, 'name' | 'server' | 'jobstore' | 'version' | 'limits' | 'singleProcess'>;

interface Outcome {
  readonly contender: ContenderInfo;
  recurring: (RecurringResult | { count: number; skipped: string })[];
  dispatch: DispatchResult[];
  delay: DelayResult | undefined;
  growth: GrowthResult[];
  /** Each failed step, with the workload it belongs to (so `--merge` replaces only those it re-ran). */
  errors: { workload: string; text: string }[];
}

const say = (text: string): void => void process.stderr.write(`${text}\n`);
const oneLine = (error: unknown): string => (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 200);

async function measure(contender: Contender): Promise<Outcome> {
  const outcome: Outcome = { contender, recurring: [], dispatch: [], delay: undefined, growth: [], errors: [] };
  const client = await contender.open();
  const step = async (workload: string, label: string, work: () => Promise<void>): Promise<void> => {
    const begun = Date.now();
    try {
      await work();
      say(`  ${label} (${((Date.now() - begun) / 1000).toFixed(1)} s)`);
    } catch (error) {
      outcome.errors.push({ workload, text: `${label}: ${oneLine(error)}` });
      say(`    failed: ${oneLine(error)}`);
    }
  };
  try {
    const limits = contender.limits ?? {};
    for (const count of workloads.includes('recurring') ? sizes.recurring : []) {
      if (limits.recurring !== undefined && count > limits.recurring.count) {
        outcome.recurring.push({ count, skipped: limits.recurring.why });
        continue;
      }
      await step('recurring', `schedule ${count} recurring`, async () => void outcome.recurring.push(await recurring(client, count)));
    }
    const due = Math.min(sizes.dispatchJobs, limits.dispatch?.count ?? Number.POSITIVE_INFINITY);
    for (const processes of workloads.includes('dispatch') ? sizes.dispatchProcesses : []) {
      if (processes > 1 && contender.singleProcess === true) continue;
      await step('dispatch', `dispatch ${due} due, ${processes} process(es)`, async () => void outcome.dispatch.push(await dispatch(contender, client, due, processes, sizes.settleMs)));
    }
    if (workloads.includes('delay')) {
      await step('delay', `fire delay, ${sizes.delayJobs} over ${sizes.delayWindowMs / 1000} s`, async () => {
        outcome.delay = await fireDelay(contender, client, sizes.delayJobs, sizes.delayWindowMs, sizes);
      });
    }
    const backlogs = [...new Set(sizes.growth.map((n) => Math.min(n, limits.backlog?.count ?? n)))];
    for (const backlog of workloads.includes('growth') ? backlogs : []) {
      await step('growth', `pickup with ${backlog} jobs due tomorrow`, async () => void outcome.growth.push(await growth(contender, client, backlog, sizes.growthSamples, sizes.settleMs)));
    }
    await client.reset();
  } finally {
    await client.close();
  }
  return outcome;
}

// ---- formatting ------------------------------------------------------------------------------

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => (!Number.isFinite(n) ? '—' : n < 10 ? `${n.toFixed(2)} ms` : n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(2)} s`);
const bytes = (n: number | null): string => (n === null ? '—' : n < 1024 * 1024 ? `${(n / 1024).toFixed(0)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`);
const times = (x: number): string => `${x.toFixed(x >= 10 ? 0 : 1)}×`;
const ratio = (a: number, b: number): string => (Number.isFinite(a) && Number.isFinite(b) && b > 0 && a > 0 ? times(a / b) : '—');

/** `r` = how many times better jobstore is: "2.1× faster", or for r < 1 "1.8× slower". */
function versus(r: number, better: string, worse: string): string {
  if (!(Number.isFinite(r) && r > 0)) return '—';
  // Within a tenth either way is within the noise of one run.
  if (r > 0.9 && r < 1.1) return `even (${r.toFixed(2)}×)`;
  return r >= 1 ? `**${times(r)} ${better}**` : `${times(1 / r)} ${worse}`;
}

function peersOn(outcomes: readonly Outcome[], server: string): Outcome[] {
  return outcomes.filter((o) => !o.contender.jobstore && o.contender.server === server);
}

function headline(outcomes: readonly Outcome[]): string[] {
  const lines = [
    '| jobstore on | against | dispatch, 1 process | dispatch, 4 processes | fire delay p99 | scheduling recurring jobs | pickup p50 beside a backlog |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const ours of outcomes.filter((o) => o.contender.jobstore)) {
    for (const peer of peersOn(outcomes, ours.contender.server)) {
      const rate = (o: Outcome, p: number): number => o.dispatch.find((d) => d.processes === p)?.perSecond ?? Number.NaN;
      // At the largest N both ran (pg-boss stops at 1,000).
      const ran = (o: Outcome): RecurringResult[] => o.recurring.filter((r): r is RecurringResult => 'seconds' in r);
      const common = Math.max(
        0,
        ...ran(ours)
          .map((r) => r.count)
          .filter((n) => ran(peer).some((r) => r.count === n)),
      );
      const sched = (o: Outcome): number => {
        const r = ran(o).find((x) => x.count === common);
        return r === undefined ? Number.NaN : r.count / r.seconds;
      };
      const backlog = Math.max(0, ...ours.growth.map((g) => g.backlog).filter((n) => peer.growth.some((g) => g.backlog === n)));
      const pickup = (o: Outcome): number => o.growth.find((g) => g.backlog === backlog)?.p50 ?? Number.NaN;
      const faster = (a: number, b: number): string => versus(a / b, 'faster', 'slower');
      const shorter = (a: number, b: number): string => versus(b / a, 'shorter', 'longer');
      const none = peer.growth.find((g) => g.backlog === backlog && !Number.isFinite(g.p50));
      const pickups = none === undefined ? shorter(pickup(ours), pickup(peer)) : `**it picked up none in 10 s**`;
      lines.push(
        `| ${ours.contender.server} | ${peer.contender.name} | ${faster(rate(ours, 1), rate(peer, 1))} | ${faster(rate(ours, 4), rate(peer, 4))} | ${shorter(ours.delay?.p99 ?? Number.NaN, peer.delay?.p99 ?? Number.NaN)} | ${faster(sched(ours), sched(peer))} (N = ${int(common)}) | ${pickups} (${int(backlog)} jobs) |`,
      );
    }
  }
  return lines;
}

function tables(outcomes: readonly Outcome[], ceilings: Record<string, number>): string[] {
  const ceilingOf = (server: string): number | undefined => ({ PostgreSQL: ceilings['pgbench'], MariaDB: ceilings['mariadb-slap'], Redis: ceilings['redis SET'] })[server];
  const out: string[] = [];
  out.push(
    '## 1. Scheduling recurring jobs',
    '',
    `Each contender creates N jobs that recur hourly, each its own id, through its public API (100 calls in flight where the API takes one job per call; pg-boss one at a time, as its queue creation takes table locks); then the bytes its server holds for them (tables and indexes, keys).`,
    '',
  );
  out.push('| contender | N | time | jobs per second | server-side size | per job |', '| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const o of outcomes) {
    for (const r of o.recurring) {
      if ('skipped' in r) out.push(`| ${o.contender.name} | ${int(r.count)} | not run: ${r.skipped} | | | |`);
      else
        out.push(`| ${o.contender.name} | ${int(r.count)} | ${ms(r.seconds * 1000)} | ${int(r.count / r.seconds)} | ${bytes(r.bytes)} | ${r.bytes === null ? '—' : `${int(r.bytes / r.count)} B`} |`);
    }
  }
  out.push(
    '',
    `## 2. Dispatch throughput`,
    '',
    `${int(sizes.dispatchJobs)} one-off jobs, all due, when 1 or 4 consumer processes start; fires per second from the first job starting to the last. Every run is counted from the consumers' ledgers: duplicates and misses are reported, not hidden. The ceiling column is the run rate as a share of what the server itself does per second with its own tool (pgbench and mariadb-slap one-row updates, redis-benchmark SET).`,
    '',
  );
  out.push('| contender | processes | jobs | fires per second | of the server ceiling | duplicates | missed |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const o of outcomes) {
    for (const d of o.dispatch) {
      const ceiling = ceilingOf(o.contender.server);
      out.push(
        `| ${o.contender.name} | ${d.processes} | ${int(d.jobs)}${d.jobs < sizes.dispatchJobs ? ' *' : ''} | ${int(d.perSecond)} | ${ceiling === undefined ? '—' : `${((d.perSecond / ceiling) * 100).toFixed(0)} %`} | ${d.duplicates} | ${d.missed} |`,
      );
    }
  }
  out.push(
    '',
    '## 3. Fire delay',
    '',
    `${int(sizes.delayJobs)} one-off jobs due at random moments over ${sizes.delayWindowMs / 1000} s, one consumer process: the delay from each job's due time to its start.`,
    '',
  );
  out.push('| contender | p50 | p99 | max | duplicates | missed |', '| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const o of outcomes) if (o.delay !== undefined) out.push(`| ${o.contender.name} | ${ms(o.delay.p50)} | ${ms(o.delay.p99)} | ${ms(o.delay.max)} | ${o.delay.duplicates} | ${o.delay.missed} |`);
  out.push(
    '',
    '## 4. Cost as jobs grow',
    '',
    `A backlog of jobs due tomorrow is loaded (the fastest way each library or its storage allows), then ${sizes.growthSamples} jobs are added due now, one at a time, each waited for up to 10 s: the time from the add call to the job starting, p50 / p99, with a small and a large backlog (after three probes in a row not picked up, the rest count as not picked up too). The store-level next-run and claim latencies at 10k and 1M jobs are in [results/](results) (sql.md, redis.md, zookeeper.md, memory.md).`,
    '',
  );
  out.push('| contender | backlog | load time | pickup p50 | p99 | p50, largest ÷ smallest backlog | not picked up within 10 s |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const o of outcomes) {
    const first = o.growth[0];
    for (const g of o.growth)
      out.push(
        `| ${o.contender.name} | ${int(g.backlog)}${g.backlog === o.contender.limits?.backlog?.count ? ' *' : ''} | ${ms(g.loadSeconds * 1000)} | ${ms(g.p50)} | ${ms(g.p99)} | ${g === first || first === undefined ? '' : ratio(g.p50, first.p50)} | ${g.missed} |`,
      );
  }
  const limited = outcomes.flatMap((o) => Object.entries(o.contender.limits ?? {}).map(([workload, limit]) => `- ${o.contender.name}: ${workload} at most ${int(limit.count)}: ${limit.why}.`));
  if (limited.length > 0) out.push('', '## Limits', '', 'Where a design limit stops a contender, it is given the most it can take in reasonable time (marked * in the tables):', '', ...limited);
  const failed = outcomes.filter((o) => o.errors.length > 0);
  if (failed.length > 0) out.push('', '## Runs that failed', '', ...failed.flatMap((o) => o.errors.map((e) => `- ${o.contender.name}: ${e.text}`)));
  return out;
}

function charts(outcomes: readonly Outcome[]): Record<string, string> {
  const bar = (o: Outcome, label: string, value: number | undefined): Bar =>
    value === undefined || !Number.isFinite(value) ? { label, value: 0, jobstore: o.contender.jobstore, note: 'not run' } : { label, value, jobstore: o.contender.jobstore };
  const biggest = sizes.recurring[sizes.recurring.length - 1] ?? 0;
  return {
    recurring: barChart({
      title: 'Scheduling recurring jobs',
      subtitle: `jobs per second, creating ${int(biggest)} (or the most each can take)`,
      format: (v) => `${int(v)}/s`,
      bars: outcomes.map((o) => {
        const done = o.recurring.filter((r): r is RecurringResult => 'seconds' in r);
        const last = done[done.length - 1];
        return bar(o, last === undefined ? o.contender.name : `${o.contender.name} (${int(last.count)})`, last === undefined ? undefined : last.count / last.seconds);
      }),
    }),
    dispatch: barChart({
      title: 'Dispatch throughput',
      subtitle: `${int(sizes.dispatchJobs)} jobs due at once, fires per second`,
      format: (v) => `${int(v)}/s`,
      bars: outcomes.flatMap((o) => o.dispatch.map((d) => bar(o, `${o.contender.name} · ${d.processes} proc`, d.perSecond))),
    }),
    delay: barChart({
      title: 'Fire delay',
      subtitle: 'p99 of the delay from due time to start',
      format: ms,
      log: true,
      bars: outcomes.map((o) => bar(o, o.contender.name, o.delay?.p99)),
    }),
    growth: barChart({
      title: 'Cost as jobs grow',
      subtitle: `pickup p50 of a due job beside ${int(sizes.growth[sizes.growth.length - 1] ?? 0)} jobs due tomorrow`,
      format: ms,
      log: true,
      bars: outcomes.map((o) => bar(o, o.contender.name, o.growth[o.growth.length - 1]?.p50)),
    }),
  };
}

// ---- the run ---------------------------------------------------------------------------------

async function run(): Promise<RunRecord> {
  const chosen = CONTENDERS.filter((c) => only === undefined || only.some((name) => c.name.toLowerCase().includes(name.toLowerCase())));
  const started = Date.now();
  const outcomes: Outcome[] = [];
  for (const contender of chosen) {
    say(`${contender.name}`);
    // Its functions drop out of the JSON record; what the report reads stays.
    outcomes.push(await measure(contender));
  }
  const versions = await serverVersions();
  return { quick, minutes: ((Date.now() - started) / 60_000).toFixed(1), date: new Date().toISOString().slice(0, 10), machine: machine(), versions, ceilings: measureCeilings(), outcomes };
}

function measureCeilings(): Record<string, number> {
  say('ceilings');
  return {
    pgbench: pgbenchCeiling(PG_URL, quick ? 3 : 10),
    'mariadb-slap': mariadbCeiling(MARIADB_URL, quick ? 10_000 : 40_000),
    'redis SET': redisCeiling(REDIS_URL, 'set'),
    'redis ZADD': redisCeiling(REDIS_URL, 'zadd'),
  };
}

/**
 * `--merge`: the chosen workloads of the chosen contenders measured again, in place of what the
 * record holds for them; the rest of the record stays.
 */
async function merged(base: RunRecord): Promise<RunRecord> {
  const fresh = await run();
  const outcomes = base.outcomes.map((old) => {
    const again = fresh.outcomes.find((o) => o.contender.name === old.contender.name);
    if (again === undefined) return old;
    return {
      contender: again.contender,
      recurring: workloads.includes('recurring') ? again.recurring : old.recurring,
      dispatch: workloads.includes('dispatch') ? again.dispatch : old.dispatch,
      delay: workloads.includes('delay') ? again.delay : old.delay,
      growth: workloads.includes('growth') ? again.growth : old.growth,
      errors: [...old.errors.filter((e) => !workloads.includes(e.workload)), ...again.errors],
    };
  });
  const args = process.argv
    .slice(2)
    .filter((arg) => arg !== '--write')
    .join(' ');
  return { ...base, outcomes, ceilings: fresh.ceilings, reruns: [...(base.reruns ?? []), { args, date: fresh.date }] };
}

// `--render --ceilings`: the recorded runs with the servers' ceilings measured again.
const record = recorded === undefined ? await run() : merge ? await merged(recorded) : process.argv.includes('--ceilings') ? { ...recorded, ceilings: measureCeilings() } : recorded;
const { outcomes, ceilings, versions, minutes } = record;

const notes = (() => {
  try {
    return readFileSync(new URL('../../src/compare/notes.md', import.meta.url), 'utf8').trim();
  } catch {
    return '';
  }
})();

const report = [
  '# jobstore beside its peers',
  '',
  `Made by \`${command}\` (from the repository root), whose last step is \`node bench/dist/compare/compare.js${quick ? ' --quick' : ''} --write\` (\`pnpm --filter @jobstore/bench ${quick ? 'bench:compare:quick' : 'bench:compare'}\` runs only this comparison; \`--render\` makes this page again from [results/compare.json](results/compare.json)), in ${minutes} minutes${(record.reruns ?? []).map((r) => `; then measured again with \`${r.args}\` (${r.date})`).join('')}. ${quick ? '**Quick mode: small sizes, for a smoke check; see the full run for figures.** ' : ''}Every contender runs on the same machine against the same local servers, one after another, through its own public API, with consumers in their own processes.`,
  '',
  `Machine: ${record.machine}. Servers: ${versions}. Libraries: ${[...new Set(outcomes.map((o) => o.contender.version))].join(', ')}. Date: ${record.date}.`,
  '',
  "Absolute figures are noisy (two shared cores, servers on the same machine): read the ratios, and each figure against its server's ceiling.",
  '',
  '## The headline: jobstore ÷ each peer on the same server',
  '',
  ...headline(outcomes),
  '',
  '![Dispatch throughput](results/charts/dispatch.svg)',
  '![Fire delay](results/charts/delay.svg)',
  '![Scheduling recurring jobs](results/charts/recurring.svg)',
  '![Cost as jobs grow](results/charts/growth.svg)',
  '',
  '## The ceiling: each server with its own tool',
  '',
  '| tool | per second |',
  '| --- | ---: |',
  `| pgbench, one-row UPDATE per transaction, 16 clients | ${int(ceilings['pgbench'] ?? Number.NaN)} |`,
  `| mariadb-slap, one-row UPDATE per transaction (autocommit), 16 clients | ${int(ceilings['mariadb-slap'] ?? Number.NaN)} |`,
  `| redis-benchmark SET, 16 clients | ${int(ceilings['redis SET'] ?? Number.NaN)} |`,
  `| redis-benchmark ZADD, 16 clients | ${int(ceilings['redis ZADD'] ?? Number.NaN)} |`,
  '',
  'SQLite has no server, and ZooKeeper ships no benchmark tool of its own: their rows have no ceiling.',
  '',
  ...tables(outcomes, ceilings),
  '',
  notes,
  '',
].join('\n');

console.log(report);
if (write) {
  writeFileSync(new URL('../../RESULTS.md', import.meta.url), report);
  if (recorded === undefined || merge || process.argv.includes('--ceilings')) writeFileSync(RECORD, `${JSON.stringify(record, null, 1)}\n`);
  mkdirSync(new URL('../../results/charts/', import.meta.url), { recursive: true });
  for (const [name, svg] of Object.entries(charts(outcomes))) writeFileSync(new URL(`../../results/charts/${name}.svg`, import.meta.url), svg);
}
process.exit(0);
