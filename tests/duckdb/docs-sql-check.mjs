// Runs every ```sql block of README.md and docs/*.md with DuckDB against small real outputs, so a snippet that no longer
// works (a renamed column, a moved file, a changed layout) fails a test instead of a reader.
// Usage: node tests/duckdb/docs-sql-check.mjs <repo-root> <workspace>
// The workspace holds what the snippets name: output/jd-kuaishou-alliance/RUNID/ (a run with agent snapshots),
// output/alliance-traffic-supply/ (the example sweep) and compare/ (a comparison); the placeholders of the docs (RUN/,
// DIR/, <run-id>, 'agents.parquet') are replaced by those paths, and DuckDB runs with the workspace as working folder.
// Exit 0 = every block ran, 1 = some failed (each named with its file and line), 2 = usage.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const [root, work] = process.argv.slice(2);
if (!root || !work) {
  console.error('usage: node tests/duckdb/docs-sql-check.mjs <repo-root> <workspace>');
  process.exit(2);
}
process.chdir(work);
const runs = readdirSync('output/jd-kuaishou-alliance');
if (runs.length !== 1) { console.error(`expected one run in ${work}/output/jd-kuaishou-alliance, found ${runs.length}`); process.exit(2); }
const run = `output/jd-kuaishou-alliance/${runs[0]}`;
const replace = (sql) => sql
  .replaceAll('<run-id>', runs[0])
  .replaceAll("'RUN/", `'${run}/`)
  .replaceAll("'DIR/", "'compare/")
  .replaceAll("'agents.parquet'", `'${run}/agents.parquet'`)
  // The DuckDB CLI's dot-command: the file's statements, read from the repository.
  .replace(/^\.read (\S+)$/m, (_, file) => readFileSync(path.join(root, file), 'utf8'));

const files = ['README.md', ...readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const blocks = [];
for (const file of files) {
  const lines = readFileSync(path.join(root, file), 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```sql') continue;
    const start = i + 1;
    const body = [];
    for (i++; i < lines.length && lines[i].trim() !== '```'; i++) body.push(lines[i]);
    blocks.push({ where: `${file}:${start}`, sql: body.join('\n') });
  }
}

let failed = 0;
for (const b of blocks) {
  // A fresh database per block: blocks do not depend on one another (views.sql's views are made by its own block).
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  try {
    const statements = replace(b.sql).split(/;\s*(?:\n|$)/).map((s) => s.trim()).filter((s) => s.replace(/--.*$/gm, '').trim().length > 0);
    let rows = 0;
    for (const s of statements) rows = (await con.runAndReadAll(s)).getRows().length;
    console.log(`ok   ${b.where} (${statements.length} statement${statements.length === 1 ? '' : 's'}, last gave ${rows} rows)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${b.where}: ${e.message.split('\n')[0]}`);
  }
}
console.log(failed ? `${failed} of ${blocks.length} SQL blocks failed` : `all ${blocks.length} SQL blocks ran`);
process.exit(failed ? 1 : 0);
