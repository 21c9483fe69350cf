// Runs the node:test suite: every test/**/*.test.ts on PGlite, then — when DATABASE_URL is set — the
// database-backed files (those that reach, through their relative imports, a helper that reads
// DATABASE_URL) again on that PostgreSQL.
// Extra arguments are file filters: `npm run test:node -- matching` runs files whose path contains it.
import './check-node.mjs';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const listOnly = process.argv.includes('--list'); // print which files each pass would run, run nothing
const filters = process.argv.slice(2).filter((arg) => arg !== '--list');
const profile = process.env.TEST_PROFILE ?? 'fast';

function listTests(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...listTests(full));
    else if (entry.endsWith('.test.ts')) out.push(full);
  }
  return out.sort();
}

const files = listTests('test').filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)));
if (files.length === 0) {
  console.error(`No test files match ${filters.join(', ')}`);
  process.exit(1);
}

function run(label, selected, env) {
  console.log(`\n=== ${label}: ${selected.length} test files ===`);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=2', `--test-timeout=${profile === 'soak' ? 4 * 3600_000 : 600_000}`, ...selected],
    { stdio: 'inherit', env: { ...process.env, TEST_PROFILE: profile, ...env } },
  );
  return result.status ?? 1;
}

// The helpers that open a test database and honour DATABASE_URL.
const DATABASE_HELPERS = new Set(['test/helpers/db.ts', 'test/reliability/crash/database.ts'].map((file) => path.resolve(file)));
const importsOf = new Map();

/** Relative imports of a TypeScript file, resolved to absolute paths. */
function relativeImports(file) {
  if (!importsOf.has(file)) {
    const source = readFileSync(file, 'utf8');
    const found = [...source.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+\.ts)'/g)].map((match) => path.resolve(path.dirname(file), match[1]));
    importsOf.set(file, found);
  }
  return importsOf.get(file);
}

function usesTestDatabase(file) {
  const seen = new Set();
  const pending = [path.resolve(file)];
  while (pending.length > 0) {
    const next = pending.pop();
    if (DATABASE_HELPERS.has(next)) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    try {
      pending.push(...relativeImports(next));
    } catch {
      // an import that is not a file here (a typo would fail the PGlite pass anyway)
    }
  }
  return false;
}

const databaseUrl = process.env.DATABASE_URL;
if (listOnly) {
  for (const file of files) console.log(`${usesTestDatabase(file) ? 'pglite+postgres' : 'pglite         '}  ${file}`);
  process.exit(0);
}
let status = run('PGlite pass', files, { DATABASE_URL: '' });
if (databaseUrl) {
  const dbFiles = files.filter(usesTestDatabase);
  if (dbFiles.length > 0) status ||= run(`PostgreSQL pass (${databaseUrl.replace(/\/\/[^@]*@/, '//')})`, dbFiles, { DATABASE_URL: databaseUrl });
}
process.exit(status);
