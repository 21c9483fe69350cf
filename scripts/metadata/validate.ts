// One validation run: read force-app, convert it with the sf CLI, run every check. Used by the
// `npm run metadata:validate` entry point and by the tests (which skip the CLI where they can).
import path from 'node:path';
import { SALESFORCE_API_VERSION } from '../../middleware/salesforce/api-version.ts';
import { SFDX_PROJECT_FILE, count, runChecks } from './checks.ts';
import { convertSource } from './convert.ts';
import { readPackageFiles, readTextIfPresent } from './load.ts';
import { checkConvertedManifest, manifestSummary } from './manifest-check.ts';
import type { CheckResult, MetadataBundle } from './model.ts';
import { parseManifest, parseSources } from './parse.ts';
import { standardFieldsFromRegistry } from './standard-fields.ts';

export interface ValidateOptions {
  readonly projectDir: string;
  /** Run `sf project convert source` (default true). */
  readonly convert?: boolean;
  readonly apiVersion?: string;
}

export interface ValidationRun {
  readonly apiVersion: string;
  readonly results: readonly CheckResult[];
  readonly ok: boolean;
}

const CONVERT_CHECK = 'sf project convert source succeeds and converts every file';

export async function validateMetadata(options: ValidateOptions): Promise<ValidationRun> {
  const apiVersion = options.apiVersion ?? SALESFORCE_API_VERSION;
  const projectDir = path.resolve(options.projectDir);
  const bundle = parseSources(readPackageFiles(projectDir));
  const convertResult = options.convert === false ? skippedConvert() : await convertCheck(projectDir, bundle, apiVersion);
  const results = [
    convertResult,
    ...runChecks(bundle, {
      apiVersion,
      sfdxProjectText: readTextIfPresent(path.join(projectDir, SFDX_PROJECT_FILE)),
      standardFields: standardFieldsFromRegistry(),
    }),
  ];
  return { apiVersion, results, ok: results.every((result) => result.problems.length === 0) };
}

function skippedConvert(): CheckResult {
  return { name: CONVERT_CHECK, scope: 'not run', problems: [], skipped: 'skipped (--skip-convert)' };
}

async function convertCheck(projectDir: string, bundle: MetadataBundle, apiVersion: string): Promise<CheckResult> {
  const outcome = await convertSource(projectDir);
  const seconds = `${(outcome.durationMs / 1000).toFixed(1)} s`;
  if (!outcome.ok || outcome.manifestXml === undefined) {
    return { name: CONVERT_CHECK, scope: seconds, problems: [{ file: 'force-app', message: `sf project convert source failed: ${outcome.error ?? 'no package.xml written'}` }] };
  }
  const manifest = parseManifest(outcome.manifestXml);
  const problems = checkConvertedManifest(manifest, bundle, apiVersion);
  const scope = typeof manifest === 'string' ? seconds : `${manifestSummary(manifest)} in ${seconds}`;
  return { name: CONVERT_CHECK, scope: scope || count(0, 'component'), problems };
}
