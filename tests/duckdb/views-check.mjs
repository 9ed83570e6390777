// Loads docs/views.sql over a sweep dataset and checks that the views mean what docs/sweeps.md says.
// Usage: node tests/duckdb/views-check.mjs <sweep-folder>   (exit 0 = all checks passed, 1 = a check failed)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const folder = process.argv[2];
if (!folder) { console.error('usage: node tests/duckdb/views-check.mjs <sweep-folder>'); process.exit(2); }
const here = path.dirname(fileURLToPath(import.meta.url));
const failures = [];
const fail = (msg) => { failures.push(msg); console.log(`FAIL ${msg}`); };
const ok = (msg) => console.log(`ok   ${msg}`);
const q = (s) => `'${s.replaceAll("'", "''")}'`;

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const rows = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();
const scalar = async (sql) => Object.values((await rows(sql))[0])[0];

await con.run(`SET VARIABLE marketsim_root = ${q(path.resolve(folder))}`);
const script = readFileSync(path.join(here, '..', '..', 'docs', 'views.sql'), 'utf8');
for (const statement of script.split(/;\s*(?:\n|$)/).map((s) => s.replace(/^\s*--.*$/gm, '').trim()).filter((s) => s.length > 0))
  await con.run(statement);
ok('docs/views.sql loads');

const type = async (view, column) => scalar(`SELECT data_type FROM information_schema.columns WHERE table_name = ${q(view)} AND column_name = ${q(column)}`);
for (const view of ['metrics', 'calibration', 'dimensions', 'metrics_named', 'national'])
  if ((await type(view, 'run')) !== 'INTEGER') fail(`${view}.run is ${await type(view, 'run')}, expected INTEGER (hive_types)`);
ok('run is INTEGER in every Hive view');

const runs = Number(await scalar('SELECT count(*) FROM runs'));
const seedMismatch = Number(await scalar(`
  SELECT count(*) FROM runs r JOIN (
    SELECT regexp_extract(file_name, 'run=([0-9]+)', 1)::INTEGER AS run, decode(value) AS seed
    FROM parquet_kv_metadata(getvariable('marketsim_root') || '/metrics/**/*.parquet') WHERE decode(key) = 'marketsim.seed') k USING (run)
  WHERE r.seed_unsigned::VARCHAR <> k.seed`));
if (seedMismatch !== 0) fail(`${seedMismatch} runs: seed_unsigned differs from the files' marketsim.seed`);
else ok(`seed_unsigned equals marketsim.seed for all ${runs} runs`);
const errors = Number(await scalar(`SELECT count(*) FROM runs WHERE status = 'ok' AND error IS NOT NULL`));
if (errors !== 0) fail(`${errors} ok runs have a non-NULL error`); else ok('error is NULL for every ok run');

const [m, named] = [Number(await scalar('SELECT count(*) FROM metrics')), Number(await scalar('SELECT count(*) FROM metrics_named'))];
if (m === 0 || m !== named) fail(`metrics_named has ${named} rows, metrics ${m}: some id has no dimension row`);
else ok(`metrics_named: every one of ${m} rows has its tier and platform names`);
const orders = await rows(`SELECT kind, count(*) AS n, count(DISTINCT "order") AS d, min("order") AS lo, max("order") AS hi FROM dimensions WHERE run = 0 GROUP BY kind ORDER BY kind`);
if (orders.length !== 2 || orders.some((o) => Number(o.n) !== Number(o.d) || Number(o.lo) !== 0 || Number(o.hi) !== Number(o.n) - 1))
  fail(`dimensions orders are not 0..n-1 per kind: ${JSON.stringify(orders)}`);
else ok(`dimensions: ${orders.map((o) => `${o.n} ${o.kind}s`).join(', ')} in scenario order`);

const shareOff = Number(await scalar(`SELECT count(*) FROM (SELECT run, step, sum(primary_share) AS s FROM national GROUP BY ALL) WHERE abs(s - 1) > 1e-9`));
if (shareOff !== 0) fail(`${shareOff} (run, step) national primary shares do not sum to 1`);
else ok('national: primary shares sum to 1 at every run and step');
const direct = Number(await scalar(`SELECT sum(primary_users) FROM metrics WHERE run = 0 AND platform = 'jd'`));
const viaView = Number(await scalar(`SELECT sum(primary_users) FROM national WHERE run = 0 AND platform = 'jd'`));
if (Math.abs(direct - viaView) > 1e-6 * Math.max(1, direct)) fail(`national JD primary users ${viaView} differ from the metrics sum ${direct}`);
else ok('national totals equal the sums over tiers');

if (failures.length) { console.log(`${failures.length} check(s) failed`); process.exit(1); }
console.log('all checks passed');
