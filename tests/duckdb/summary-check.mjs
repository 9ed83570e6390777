// Recomputes a sweep's summary.parquet from the runs' own Parquet with DuckDB, independently of MarketSim's code:
// every named output of every ok run, from metrics/ (and baseline_metrics/ for effects), by the definition the file
// carries in its key-value metadata.
// Usage: node tests/duckdb/summary-check.mjs <sweep-folder>    (exit 0 = all checks passed, 1 = a check failed, 2 = usage)
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const folder = process.argv[2];
if (!folder) {
  console.error('usage: node tests/duckdb/summary-check.mjs <sweep-folder>');
  process.exit(2);
}
const failures = [];
const fail = (msg) => { failures.push(msg); console.log(`FAIL ${msg}`); };
const ok = (msg) => console.log(`ok   ${msg}`);
const q = (s) => `'${s.replaceAll("'", "''")}'`;
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const rows = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();

const summaryFile = path.join(folder, 'summary.parquet');
const summary = `read_parquet(${q(summaryFile)})`;
const kv = Object.fromEntries((await rows(`select decode(key) as k, decode(value) as v from parquet_kv_metadata(${q(summaryFile)})`)).map((r) => [r.k, r.v]));
const effect = (kv['marketsim.effect_of'] ?? '') !== '';
const outputs = (kv['marketsim.outputs'] ?? '').split('\n').filter((l) => l).map((line) => {
  const [name, def] = line.split('\t');
  const field = (key) => def.match(new RegExp(`${key}: (\\[[^\\]]*\\]|[^,}]+)`))?.[1]?.trim();
  const list = (key) => field(key).replace(/[[\]]/g, '').split(',').map((s) => s.trim()).filter((s) => s);
  return { name, metric: field('metric'), tiers: list('tiers'), platforms: list('platforms'), at: field('at'), from: field('from'), to: field('to') };
});
if (outputs.length === 0) fail('summary.parquet names no outputs in marketsim.outputs');
const runs = await rows(`select count(*) as n, count(*) filter (where status = 'ok') as ok from ${summary}`);
console.log(`     summary.parquet: ${runs[0].n} runs, ${runs[0].ok} ok; outputs ${outputs.map((o) => o.name).join(', ')}; effect ${effect}`);
const runsTable = await rows(`select count(*) as n from read_parquet(${q(path.join(folder, 'runs.parquet'))}) r join ${summary} s using (run, point, replication, seed, status)`);
if (Number(runsTable[0].n) !== Number(runs[0].n)) fail(`summary.parquet and runs.parquet disagree on run, point, replication, seed or status (${runsTable[0].n} of ${runs[0].n} rows match)`);
else ok('summary.parquet has the rows of runs.parquet (run, point, replication, seed, status)');

const inList = (col, ids) => (ids.length === 0 ? 'true' : `${col} in (${ids.map(q).join(', ')})`);
async function recompute(table, o) {
  const src = `read_parquet(${q(path.join(folder, table, '**', '*.parquet'))}, hive_partitioning = true, hive_types = {'run': INTEGER})`;
  const when = o.from ? `date between date ${q(o.from)} and date ${q(o.to)}`
    : o.at === 'end' ? 'step = (select max(step) from m m2 where m2.run = m.run)'
      : `step = (select max(step) from m m2 where m2.run = m.run and m2.date <= date ${q(o.at)})`;
  // Per step: consumers once per tier (the same on every platform row), everything else summed over the chosen cells.
  const perStep = o.metric === 'primary_share'
    ? `select run, step, case when sum(c) = 0 then 0 else sum(p) / sum(c) end as v from (
         select run, step, tier, any_value(consumers) as c, sum(primary_users) filter (where ${inList('platform', o.platforms)}) as p
         from m where ${inList('tier', o.tiers)} and (${when}) group by run, step, tier) group by run, step`
    : o.metric === 'consumers'
      ? `select run, step, sum(c) as v from (select run, step, tier, any_value(consumers) as c from m where ${inList('tier', o.tiers)} and (${when}) group by run, step, tier) group by run, step`
      : `select run, step, sum("${o.metric}") as v from m where ${inList('tier', o.tiers)} and ${inList('platform', o.platforms)} and (${when}) group by run, step`;
  return `with m as (select * from ${src}) select run, sum(v) as v from (${perStep}) group by run`;
}

for (const o of outputs) {
  const scenario = await recompute('metrics', o);
  const levelCol = effect ? `${o.name}_scenario` : o.name;
  const checks = [[levelCol, scenario]];
  if (effect) {
    const baseline = await recompute('baseline_metrics', o);
    checks.push([`${o.name}_baseline`, baseline]);
    checks.push([o.name, `select s.run, s.v - b.v as v from (${scenario}) s join (${baseline}) b using (run)`]);
  }
  for (const [col, sql] of checks) {
    const bad = await rows(`
      select s.run, s."${col}" as written, d.v as recomputed from ${summary} s left join (${sql}) d using (run)
      where s.status = 'ok' and (d.v is null or abs(s."${col}" - d.v) > 1e-9 * greatest(abs(d.v), 1))
      order by s.run limit 5`);
    const count = await rows(`select count(*) as n from ${summary} s join (${sql}) d using (run) where s.status = 'ok'`);
    if (bad.length) fail(`${col}: summary.parquet differs from the runs' Parquet, e.g. ${JSON.stringify(bad)}`);
    else if (Number(count[0].n) === 0) fail(`${col}: no ok run to compare`);
    else ok(`${col}: ${count[0].n} runs recomputed from ${col.endsWith('_baseline') ? 'baseline_metrics' : 'metrics'} match`);
  }
  const nulls = await rows(`select count(*) as n from ${summary} where status <> 'ok' and "${o.name}" is not null`);
  if (Number(nulls[0].n) > 0) fail(`${o.name}: runs that are not ok carry a value`);
}

if (failures.length) {
  console.log(`${failures.length} check(s) failed`);
  process.exit(1);
}
console.log('all checks passed');
