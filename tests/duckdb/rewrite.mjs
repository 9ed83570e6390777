// Rewrites a Parquet file with DuckDB, a writer that shares no code with MarketSim: for the tests that hand the program
// foreign files (other row groups, nullable columns, other encodings), with and without its key-value metadata.
// Usage: node tests/duckdb/rewrite.mjs IN OUT "SELECT … FROM src" [kv [JSON of metadata to change]]
//   kv: copy IN's key-value metadata (changed by the JSON object, a null value removing a key) into OUT.
import { DuckDBInstance } from '@duckdb/node-api';

const [input, output, select, keep, changes] = process.argv.slice(2);
if (!input || !output || !select) {
  console.error('usage: node rewrite.mjs IN OUT "SELECT ... FROM src" [kv [JSON]]');
  process.exit(2);
}
const q = (s) => `'${s.replaceAll("'", "''")}'`;
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`CREATE VIEW src AS SELECT * FROM read_parquet(${q(input)})`);
let kv = '';
if (keep === 'kv') {
  const read = await con.runAndReadAll(`SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata(${q(input)})`);
  const pairs = Object.fromEntries(read.getRowObjectsJson().map((r) => [r.k, r.v]));
  for (const [k, v] of Object.entries(JSON.parse(changes ?? '{}'))) {
    if (v === null) delete pairs[k];
    else pairs[k] = v;
  }
  kv = `, KV_METADATA {${Object.entries(pairs).map(([k, v]) => `"${k.replaceAll('"', '""')}": ${q(v)}`).join(', ')}}`;
}
await con.run(`COPY (${select}) TO ${q(output)} (FORMAT parquet${kv})`);
