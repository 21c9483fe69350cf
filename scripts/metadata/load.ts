// Reads the package from disk: every file under force-app/ and sfdx-project.json, with paths relative to
// the project root (forward slashes) so problems name files the way a developer finds them.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SourceFile } from './model.ts';

export const PACKAGE_DIRECTORY = 'force-app';

export function readPackageFiles(projectDir: string, packageDirectory = PACKAGE_DIRECTORY): SourceFile[] {
  const root = path.join(projectDir, packageDirectory);
  if (!existsSync(root)) return [];
  const files: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else files.push({ path: path.relative(projectDir, full).split(path.sep).join('/'), text: readFileSync(full, 'utf8') });
    }
  };
  walk(root);
  return files;
}

export function readTextIfPresent(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}
