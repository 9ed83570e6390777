// Reads a MarketSim run folder with DuckDB and checks the invariants every run must satisfy.
// Usage: node tests/duckdb/check.mjs <run-folder>     (exit 0 = all checks passed, 1 = a check failed, 2 = usage)
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const folder = process.argv[2];
if (!folder) {
  console.error('usage: node tests/duckdb/check.mjs <run-folder>');
  process.exit(2);
}

const failures = [];
const fail = (msg) => { failures.push(msg); console.log(`FAIL ${msg}`); };
const ok = (msg) => console.log(`ok   ${msg}`);
const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const rows = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();
const scalar = async (sql) => Object.values((await rows(sql))[0])[0];

if (!existsSync(path.join(folder, '_SUCCESS'))) fail('_SUCCESS marker missing: the run is incomplete');

// run.json says which tables the run selected; without it, check whatever is there.
let listed = null;
try {
  listed = JSON.parse(readFileSync(path.join(folder, 'run.json'), 'utf8')).files;
} catch (e) {
  fail(`run.json unreadable: ${e.message}`);
}

const tables = ['metrics', 'flows', 'overlap', 'calibration', 'agents'];
const present = {};
for (const name of tables) {
  const file = path.join(folder, `${name}.parquet`);
  const entry = listed?.find((f) => f.name === `${name}.parquet`);
  if (!existsSync(file)) {
    if (entry || name === 'calibration') fail(`${name}.parquet missing`);
    else console.log(`-    ${name}.parquet not selected`);
    continue;
  }
  const src = `read_parquet(${sqlString(file)})`;
  try {
    const count = Number(await scalar(`select count(*) from ${src}`));
    console.log(`     ${name}.parquet: ${count} rows`);
    if (entry && Number(entry.rows) !== count) fail(`${name}: run.json says ${entry.rows} rows, file has ${count}`);
    present[name] = src;

    const columns = await rows(`describe select * from ${src}`);
    // Step tables date rows by the step's first day; calibration by the reported period's last day.
    const dateName = name === 'calibration' ? 'period_end' : 'date';
    const dateCol = columns.find((c) => c.column_name === dateName);
    if (!dateCol || dateCol.column_type !== 'DATE') fail(`${name}: ${dateName} column is ${dateCol?.column_type ?? 'missing'}, expected DATE`);

    const doubles = columns.filter((c) => c.column_type === 'DOUBLE').map((c) => `"${c.column_name}"`);
    if (doubles.length > 0) {
      const bad = await rows(`select ${doubles.map((c) => `count(*) filter (where ${c} is null or isnan(${c}) or isinf(${c})) as ${c}`).join(', ')} from ${src}`);
      const offenders = Object.entries(bad[0]).filter(([, v]) => Number(v) > 0);
      if (offenders.length) fail(`${name}: NaN, infinite or null values in ${offenders.map(([k, v]) => `${k} (${v})`).join(', ')}`);
      else ok(`${name}: no NaN in ${doubles.length} DOUBLE columns`);
    }

    const kv = await rows(`select decode(key) as k, decode(value) as v from parquet_kv_metadata(${sqlString(file)})`);
    const seed = kv.find((r) => r.k === 'marketsim.seed');
    if (!seed || seed.v === '') fail(`${name}: key-value metadata marketsim.seed missing`);
    else ok(`${name}: marketsim.seed = ${seed.v}`);
  } catch (e) {
    fail(`${name}.parquet unreadable: ${e.message}`);
  }
}

if (present.metrics) {
  const m = present.metrics;
  const bad = await rows(`
    select step, tier, any_value(consumers) as consumers, sum(primary_users) as primary_sum
    from ${m} group by step, tier
    having abs(sum(primary_users) - any_value(consumers)) > 1e-6 * greatest(abs(any_value(consumers)), 1)
        or min(consumers) <> max(consumers)
    order by step, tier limit 5`);
  if (bad.length) fail(`metrics: primary_users do not sum to consumers, e.g. ${JSON.stringify(bad)}`);
  else ok('metrics: primary_users sum to consumers for every step and tier');
  const share = Number(await scalar(`select count(*) from ${m} where not (primary_share between 0 and 1)`));
  if (share) fail(`metrics: ${share} primary_share values outside [0, 1]`);
  else ok('metrics: primary_share in [0, 1]');
}

if (present.overlap) {
  const o = present.overlap;
  const share = Number(await scalar(`select count(*) from ${o} where not (share_of_a between 0 and 1 and share_of_b between 0 and 1)`));
  if (share) fail(`overlap: ${share} rows with share_of_a or share_of_b outside [0, 1]`);
  else ok('overlap: share_of_a and share_of_b in [0, 1]');
}

if (present.flows) {
  const f = present.flows;
  const r = (await rows(`select count(*) as n, count(distinct step) as s, count(distinct tier) as t,
                                count(distinct from_platform) as p, count(*) filter (where from_platform = to_platform) as diag
                         from ${f}`))[0];
  const expected = Number(r.s) * Number(r.t) * Number(r.p) * (Number(r.p) - 1);
  if (Number(r.diag) > 0) fail(`flows: ${r.diag} diagonal rows`);
  else if (Number(r.n) !== expected) fail(`flows: ${r.n} rows, expected ${expected} (every off-diagonal pair each step)`);
  else ok('flows: every off-diagonal pair present for every step and tier');
}

if (present.agents) {
  // Agent snapshots: each row's primary is in its set, recency exists exactly for the platforms in the set, and the
  // people the sample stands for add up to the tier's consumers within sampling error (sample fraction from the metadata).
  const a = present.agents;
  const cols = (await rows(`describe select * from ${a}`)).map((c) => c.column_name);
  const platforms = cols.filter((c) => c.startsWith('uses_')).map((c) => c.slice(5));
  const notInSet = platforms.map((p) => `(primary_platform = ${sqlString(p)} and not "uses_${p}")`).join(' or ');
  const recency = platforms.map((p) => `("uses_${p}" <> ("steps_since_order_${p}" is not null))`).join(' or ');
  const bad = Number(await scalar(`select count(*) from ${a} where ${notInSet} or ${recency}`));
  if (bad) fail(`agents: ${bad} rows whose primary is not in the set or whose recency disagrees with the set`);
  else ok(`agents: primaries in the set and recency only for the ${platforms.length} platforms in use`);
  const kv = await rows(`select decode(key) as k, decode(value) as v from parquet_kv_metadata(${sqlString(path.join(folder, 'agents.parquet'))})`);
  const ppa = Number(kv.find((r) => r.k === 'marketsim.people_per_agent')?.v);
  const sample = Number(/agent_snapshots:[\s\S]*?sample: *([0-9.eE+-]+)/.exec(kv.find((r) => r.k === 'marketsim.scenario')?.v ?? '')?.[1]);
  if (present.metrics && ppa > 0 && sample > 0) {
    const off = await rows(`
      with s as (select step, tier, count(*) as n from ${a} group by all),
           m as (select step, tier, any_value(consumers) / ${ppa} as agents from ${present.metrics} group by all)
      select s.step, s.tier, s.n, m.agents from s join m using (step, tier)
      where abs(s.n - ${sample} * m.agents) > 5 * sqrt(${sample} * (1 - ${sample}) * m.agents) + 1`);
    if (off.length) fail(`agents: sample sizes far from ${sample} of the agents, e.g. ${JSON.stringify(off[0])}`);
    else ok(`agents: sample sizes within 5 sd of ${sample} of each tier's agents`);
  }
}

if (failures.length) {
  console.log(`${failures.length} check(s) failed for ${folder}`);
  process.exit(1);
}
console.log(`all checks passed for ${folder}`);
