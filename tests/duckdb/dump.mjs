// Prints one Parquet file's rows as JSON, read by DuckDB: the tests' independent reader of what MarketSim wrote.
// Usage: node tests/duckdb/dump.mjs <file.parquet>
// DOUBLE columns come out as JSON numbers with the shortest round-trip digits (so a C# double.Parse gives the same bits),
// INT64 as decimal strings, DATE as YYYY-MM-DD, NULL as null.
import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2];
if (!file) {
  console.error('usage: node tests/duckdb/dump.mjs <file.parquet>');
  process.exit(2);
}
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const quoted = `'${file.replaceAll("'", "''")}'`;
const rows = (await con.runAndReadAll(`SELECT * FROM read_parquet(${quoted})`)).getRowObjectsJson();
process.stdout.write(JSON.stringify(rows));
