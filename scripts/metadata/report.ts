// The human-readable report of a validation run: one line per check, then each problem under its check.
import type { ValidationRun } from './validate.ts';

export function formatReport(run: ValidationRun): string {
  const lines = [`Salesforce companion package (force-app), API ${run.apiVersion}`, ''];
  for (const result of run.results) {
    const status = result.skipped ? 'skip' : result.problems.length ? 'FAIL' : 'ok';
    lines.push(`  ${status.padEnd(4)}  ${result.name} — ${result.skipped ?? result.scope}`);
    for (const problem of result.problems) lines.push(`        ${problem.file}: ${problem.message}`);
  }
  const problems = run.results.flatMap((result) => result.problems);
  const ran = run.results.filter((result) => !result.skipped).length;
  lines.push('');
  if (problems.length === 0) {
    lines.push(`Metadata valid: all ${ran} checks passed.`);
  } else {
    const files = new Set(problems.map((problem) => problem.file)).size;
    lines.push(`Metadata invalid: ${problems.length} problem${problems.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}.`);
  }
  return lines.join('\n');
}
