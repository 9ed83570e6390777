// Recomputes a comparison's statistics from its per-replication values with DuckDB, a reader that shares no code with
// MarketSim: the mean and sample sd of `difference` over replications must be comparison.parquet's mean_difference and
// sd_difference, row for row, and every key must have one value per replication.
// Usage: node tests/duckdb/replications-check.mjs <compare-folder>   (exit 0 = passed, 1 = a check failed, 2 = usage)
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const folder = process.argv[2];
if (!folder) {
  console.error('usage: node tests/duckdb/replications-check.mjs <compare-folder>');
  process.exit(2);
}
const q = (s) => `'${s.replaceAll("'", "''")}'`;
const reps = `read_parquet(${q(path.join(folder, 'replications.parquet'))})`;
const cmp = `read_parquet(${q(path.join(folder, 'comparison.parquet'))})`;
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const one = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson()[0];

const failures = [];
const shape = await one(`select count(distinct replication) as r, count(*) as n, min(replication) as lo from ${reps}`);
const expected = await one(`select any_value(replications) as r, count(*) as n from ${cmp}`);
console.log(`replications.parquet: ${shape.n} rows, ${shape.r} replications; comparison.parquet: ${expected.n} rows`);
if (Number(shape.r) !== Number(expected.r)) failures.push(`${shape.r} replications in the file, comparison.parquet says ${expected.r}`);
if (Number(shape.lo) !== 0) failures.push(`replications are numbered from ${shape.lo}, expected 0`);
if (Number(shape.n) !== Number(expected.n) * Number(expected.r)) failures.push(`${shape.n} rows, expected ${expected.n} x ${expected.r}`);

// The join key is the comparison's key; `difference` is scenario - baseline in every row.
const check = await one(`
  with stats as (
    select step, metric, tier, platform, coalesce(counterpart, '') as counterpart,
           avg(difference) as mean, stddev_samp(difference) as sd, count(*) as n,
           max(abs(difference - (scenario - baseline))) as inconsistent
    from ${reps} group by all)
  select count(*) as joined,
         count(*) filter (where abs(s.mean - c.mean_difference) > 1e-9 * greatest(1, abs(c.mean_difference))) as mean_off,
         count(*) filter (where c.sd_difference is not null and abs(s.sd - c.sd_difference) > 1e-9 * greatest(1, abs(c.sd_difference))) as sd_off,
         max(s.inconsistent) as inconsistent
  from stats s join ${cmp} c
    on s.step = c.step and s.metric = c.metric and s.tier = c.tier and s.platform = c.platform
       and s.counterpart = coalesce(c.counterpart, '')`);
if (Number(check.joined) !== Number(expected.n)) failures.push(`${check.joined} keys match comparison.parquet's ${expected.n}`);
if (Number(check.mean_off) > 0) failures.push(`${check.mean_off} means differ from mean_difference`);
if (Number(check.sd_off) > 0) failures.push(`${check.sd_off} standard deviations differ from sd_difference`);
if (Number(check.inconsistent) > 0) failures.push(`difference is not scenario - baseline (off by up to ${check.inconsistent})`);

for (const f of failures) console.log(`FAIL ${f}`);
console.log(failures.length ? `${failures.length} checks failed` : 'all checks passed');
process.exit(failures.length ? 1 : 0);
