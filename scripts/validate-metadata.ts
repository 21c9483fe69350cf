// `npm run metadata:validate`: offline validation of the Salesforce companion package in force-app/.
// Converts it with `sf project convert source`, parses every XML file, checks each field, record type and
// permission set (see scripts/metadata/checks.ts), and that sfdx-project.json speaks the middleware's API
// version. Prints a report; exits 1 when anything is wrong, 2 on bad arguments.
//   --project-dir <dir>  validate another checkout (default: the repository this script is in)
//   --skip-convert       leave out the sf CLI step (the other checks still run)
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatReport } from './metadata/report.ts';
import { validateMetadata } from './metadata/validate.ts';

const USAGE = 'Usage: npm run metadata:validate [-- --project-dir <dir>] [-- --skip-convert]';

function parseArguments(argv: readonly string[]): { projectDir: string; convert: boolean } | string {
  let projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  let convert = true;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--skip-convert') convert = false;
    else if (arg === '--project-dir' && argv[i + 1]) projectDir = path.resolve(argv[++i] ?? '');
    else return `Unknown or incomplete argument "${arg ?? ''}".\n${USAGE}`;
  }
  return { projectDir, convert };
}

const options = parseArguments(process.argv.slice(2));
if (typeof options === 'string') {
  console.error(options);
  process.exit(2);
}
const run = await validateMetadata(options);
console.log(formatReport(run));
process.exitCode = run.ok ? 0 : 1;
