// Shared by the metadata tests: the real package, read once, and ways to swap one of its files for a
// broken fixture before running the (pure) checks on it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SALESFORCE_API_VERSION } from '../../middleware/salesforce/api-version.ts';
import { runChecks } from '../../scripts/metadata/checks.ts';
import { readPackageFiles } from '../../scripts/metadata/load.ts';
import type { CheckResult, Problem, SourceFile } from '../../scripts/metadata/model.ts';
import { parseSources } from '../../scripts/metadata/parse.ts';
import { standardFieldsFromRegistry } from '../../scripts/metadata/standard-fields.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_DIR = 'force-app/main/default';

export const realFiles: readonly SourceFile[] = readPackageFiles(REPO_ROOT);
export const realSfdxProject = readFileSync(path.join(REPO_ROOT, 'sfdx-project.json'), 'utf8');

export function fixture(name: string): string {
  return readFileSync(path.join(REPO_ROOT, 'test', 'metadata', 'fixtures', name), 'utf8');
}

export function realText(relativePath: string): string {
  const file = realFiles.find((f) => f.path === relativePath);
  if (!file) throw new Error(`force-app has no ${relativePath}`);
  return file.text;
}

/** The real package with the file at `relativePath` replaced (or added) with `text`. */
export function withFile(relativePath: string, text: string, files: readonly SourceFile[] = realFiles): SourceFile[] {
  return [...files.filter((f) => f.path !== relativePath), { path: relativePath, text }];
}

/** The real package with the text of one file edited; fails loudly if the edit changes nothing. */
export function withEdit(relativePath: string, edit: (text: string) => string): SourceFile[] {
  const before = realText(relativePath);
  const after = edit(before);
  if (after === before) throw new Error(`the edit of ${relativePath} changed nothing`);
  return withFile(relativePath, after);
}

export function check(files: readonly SourceFile[], sfdxProjectText: string | undefined = realSfdxProject): CheckResult[] {
  return runChecks(parseSources(files), {
    apiVersion: SALESFORCE_API_VERSION,
    sfdxProjectText,
    standardFields: standardFieldsFromRegistry(),
  });
}

/** Problems of the checks whose name contains `checkName`. */
export function problemsOf(results: readonly CheckResult[], checkName: string): Problem[] {
  const matching = results.filter((result) => result.name.includes(checkName));
  if (matching.length === 0) throw new Error(`no check named like "${checkName}"`);
  return matching.flatMap((result) => result.problems);
}

export function allProblems(results: readonly CheckResult[]): Problem[] {
  return results.flatMap((result) => result.problems);
}

export function render(problems: readonly Problem[]): string {
  return problems.map((p) => `${p.file}: ${p.message}`).join('\n');
}
