// Compares the size of every Parquet file under a folder with DuckDB's ZSTD rewrite of the same rows.
// Usage: node tests/duckdb/sizes.mjs <folder> [max-ratio]
// Prints one line per file (or per table of a Hive dataset: metrics/, flows/ … summed over its run=… files) and
// exits 1 when a file, without its marketsim.* key-value metadata (which DuckDB's rewrite drops), is larger than
// max-ratio × its rewrite (default: no limit).
import { readdirSync, statSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const [folder, limitText] = process.argv.slice(2);
if (!folder) { console.error('usage: node tests/duckdb/sizes.mjs <folder> [max-ratio]'); process.exit(2); }
const limit = limitText ? Number(limitText) : Infinity;
const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;

const files = [];
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name.startsWith('_')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p); else if (e.name.endsWith('.parquet')) files.push(p);
  }
};
walk(folder);
files.sort();

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const scratch = mkdtempSync(path.join(tmpdir(), 'marketsim-sizes-'));
const groups = new Map();   // table → {ours, duck, files, worst}
let failed = false;
try {
  for (const [i, file] of files.entries()) {
    const out = path.join(scratch, `${i}.parquet`);
    await con.run(`COPY (SELECT * FROM read_parquet(${sqlString(file)})) TO ${sqlString(out)} (FORMAT parquet, COMPRESSION zstd)`);
    const ours = statSync(file).size, duck = statSync(out).size;
    // DuckDB's rewrite drops our key-value metadata (the resolved scenario, several KB per file): compare the rest.
    const kvReader = await con.runAndReadAll(`SELECT coalesce(sum(octet_length(key) + octet_length(value)), 0)::BIGINT AS n FROM parquet_kv_metadata(${sqlString(file)}) WHERE decode(key) LIKE 'marketsim.%'`);
    const kv = Number(kvReader.getRowObjectsJson()[0].n);
    rmSync(out);
    const rel = path.relative(folder, file);
    const table = rel.includes('run=') ? rel.split(path.sep)[0] + '/' : rel;
    const g = groups.get(table) ?? { ours: 0, kv: 0, duck: 0, files: 0, worst: 0, worstFile: '' };
    g.ours += ours; g.kv += kv; g.duck += duck; g.files++;
    if ((ours - kv) / duck > g.worst) { g.worst = (ours - kv) / duck; g.worstFile = rel; }
    groups.set(table, g);
    if (ours - kv > limit * duck) failed = true;
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
for (const [table, g] of groups) {
  console.log(`${table}\tfiles=${g.files}\tbytes=${g.ours}\tmetadata=${g.kv}\tduckdb_zstd=${g.duck}\tratio=${(g.ours / g.duck).toFixed(2)}\twithout_metadata=${((g.ours - g.kv) / g.duck).toFixed(2)}\tworst_file=${g.worst.toFixed(2)} (${g.worstFile})`);
}
if (failed) { console.log(`FAIL some file is larger than ${limit} × DuckDB's ZSTD rewrite`); process.exit(1); }
