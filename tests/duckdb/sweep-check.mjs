// Reads a MarketSim sweep dataset with DuckDB, as a researcher would, and checks it forms one table.
// Usage: node tests/duckdb/sweep-check.mjs <sweep-folder>    (exit 0 = all checks passed, 1 = a check failed, 2 = usage)
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const folder = process.argv[2];
if (!folder) {
  console.error('usage: node tests/duckdb/sweep-check.mjs <sweep-folder>');
  process.exit(2);
}
const failures = [];
const fail = (msg) => { failures.push(msg); console.log(`FAIL ${msg}`); };
const ok = (msg) => console.log(`ok   ${msg}`);
const q = (s) => `'${s.replaceAll("'", "''")}'`;

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const rows = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();

if (!existsSync(path.join(folder, '_SUCCESS'))) fail('_SUCCESS missing: the sweep is incomplete');

// The documented query (docs/sweeps.md): every run's metrics as one table, parameters joined from runs.parquet.
// DuckDB reads the zero-padded partition value '000012' as VARCHAR unless told its type.
const metrics = `read_parquet(${q(path.join(folder, 'metrics', '**', '*.parquet'))}, hive_partitioning = true, hive_types = {'run': INTEGER})`;
const untyped = `read_parquet(${q(path.join(folder, 'metrics', '**', '*.parquet'))}, hive_partitioning = true)`;
const runs = `read_parquet(${q(path.join(folder, 'runs.parquet'))})`;
const runsCols = await rows(`describe select * from ${runs}`);
console.log(`     runs.parquet columns: ${runsCols.map((c) => `${c.column_name} ${c.column_type}`).join(', ')}`);
const params = runsCols.map((c) => c.column_name).filter((c) => !['run', 'point', 'replication', 'seed', 'scenario_sha256', 'status', 'error'].includes(c));
if (params.length === 0) fail('runs.parquet has no parameter columns');
const seed = runsCols.find((c) => c.column_name === 'seed');
if (seed?.column_type !== 'BIGINT') fail(`runs.seed is ${seed?.column_type}, expected BIGINT (the unsigned seed's bits)`);

const hiveType = (await rows(`describe select run from ${untyped}`))[0]?.column_type;
console.log(`     without hive_types the partition column run is read as ${hiveType}`);
const untypedJoin = await rows(`select count(*) as n from ${untyped} m join ${runs} r using (run)`);
const untypedTotal = await rows(`select count(*) as n from ${untyped}`);
if (Number(untypedJoin[0].n) !== Number(untypedTotal[0].n)) fail(`join without hive_types lost rows: ${untypedJoin[0].n} of ${untypedTotal[0].n}`);
else ok(`join also works without hive_types (run ${hiveType} against INTEGER)`);

const joined = await rows(`
  select count(*) as n, count(distinct m.run) as runs, count(r.run) as matched, min(r.status) as min_status, max(r.status) as max_status
  from ${metrics} m join ${runs} r using (run)`);
const total = await rows(`select count(*) as n, count(distinct run) as runs from ${metrics}`);
const nruns = Number((await rows(`select count(*) as n from ${runs}`))[0].n);
const j = joined[0];
if (Number(j.n) !== Number(total[0].n)) fail(`join lost rows: ${j.n} of ${total[0].n}`);
else ok(`metrics: ${total[0].n} rows from ${total[0].runs} runs, all joined to runs.parquet`);
if (Number(total[0].runs) !== nruns) fail(`metrics has ${total[0].runs} runs, runs.parquet ${nruns}`);
if (j.min_status !== 'ok' || j.max_status !== 'ok') fail(`joined runs are not all ok: ${j.min_status}..${j.max_status}`);

// A researcher's question: JD's national primary share at the last step against the first parameter, per replication.
const p0 = params[0];
const answer = await rows(`
  with last as (
    select m.run, sum(m.primary_users) filter (where m.platform = 'jd') / sum(m.primary_users) as jd_share
    from ${metrics} m
    where m.step = (select max(step) from ${metrics} x where x.run = m.run)
    group by m.run)
  select r."${p0}" as p, r.replication, round(l.jd_share, 4) as jd_share
  from last l join ${runs} r using (run) order by r.run limit 5`);
console.log(`     JD primary share at the last step by ${p0}: ${JSON.stringify(answer)}`);
if (answer.length === 0 || answer.some((a) => !(Number(a.jd_share) > 0 && Number(a.jd_share) < 1))) fail('JD share not in (0, 1)');
else ok('parameter columns usable in a join query');

// Types identical across files (the union by name would otherwise widen or fail).
for (const table of ['metrics', 'flows', 'overlap', 'calibration']) {
  if (!existsSync(path.join(folder, table))) { console.log(`-    ${table} not kept`); continue; }
  const src = `read_parquet(${q(path.join(folder, table, '**', '*.parquet'))}, hive_partitioning = true)`;
  const n = await rows(`select count(distinct run) as runs, count(*) as n from ${src}`);
  ok(`${table}: ${n[0].n} rows, ${n[0].runs} runs`);
}

// Per-file metadata survives: each run's seed matches runs.parquet.
const kv = await rows(`
  select regexp_extract(file_name, 'run=([0-9]+)', 1)::int as run, decode(value) as seed
  from parquet_kv_metadata(${q(path.join(folder, 'metrics', '**', '*.parquet'))}) where decode(key) = 'marketsim.seed'`);
const mismatched = await rows(`
  select count(*) as n from (select unnest(${JSON.stringify(kv.map((k) => k.run))}::int[]) as run, unnest([${kv.map((k) => q(k.seed)).join(', ')}]::varchar[]) as seed) k
  join ${runs} r using (run) where (case when r.seed < 0 then r.seed::hugeint + 18446744073709551616 else r.seed::hugeint end)::varchar <> k.seed`);
if (kv.length !== nruns || Number(mismatched[0].n) !== 0) fail(`marketsim.seed metadata disagrees with runs.parquet (${kv.length} files, ${mismatched[0].n} mismatches)`);
else ok('every metrics file carries its run\'s seed in its metadata');

if (failures.length) { console.log(`${failures.length} check(s) failed`); process.exit(1); }
console.log('all checks passed');
