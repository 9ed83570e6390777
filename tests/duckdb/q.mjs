// Runs one SQL query with DuckDB and prints the rows as a table (a developer's tool; not used by the tests).
// Usage: node tests/duckdb/q.mjs "SELECT … FROM 'file.parquet'"
import { DuckDBInstance } from '@duckdb/node-api';

const sql = process.argv[2];
if (!sql) {
  console.error('usage: node tests/duckdb/q.mjs "<sql>"');
  process.exit(2);
}
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const rows = (await con.runAndReadAll(sql)).getRowObjectsJson();
console.table(rows);
