// (a, second half) After `sf project convert source`, the package.xml it writes must list every component
// the source holds: a file the CLI skipped (misplaced, ignored by .forceignore) would silently not deploy.
import { qualifiedName } from './model.ts';
import type { MetadataBundle, Problem } from './model.ts';
import type { PackageManifest } from './parse.ts';

export const CONVERTED_MANIFEST = 'package.xml (written by sf project convert source)';

export function checkConvertedManifest(manifest: PackageManifest | string, bundle: MetadataBundle, apiVersion: string): Problem[] {
  if (typeof manifest === 'string') return [{ file: CONVERTED_MANIFEST, message: `cannot be read: ${manifest}` }];
  const problems: Problem[] = [];
  if (manifest.version !== apiVersion) {
    problems.push({ file: CONVERTED_MANIFEST, message: `has version ${manifest.version ?? 'none'}; expected ${apiVersion} from sfdx-project.json.` });
  }
  const expect = (type: string, member: string, file: string) => {
    if (!manifest.members.get(type)?.has(member)) {
      problems.push({ file, message: `the sf CLI did not convert it: package.xml lists no ${type} ${member}. Check its folder and .forceignore.` });
    }
  };
  for (const field of bundle.fields) expect('CustomField', qualifiedName(field.object, field.name), field.file);
  for (const recordType of bundle.recordTypes) expect('RecordType', qualifiedName(recordType.object, recordType.name), recordType.file);
  for (const permissionSet of bundle.permissionSets) expect('PermissionSet', permissionSet.name, permissionSet.file);
  return problems;
}

/** Component counts per type, for the report ("CustomField 19, PermissionSet 2, RecordType 3"). */
export function manifestSummary(manifest: PackageManifest): string {
  return [...manifest.members.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, members]) => `${type} ${members.size}`)
    .join(', ');
}
